"""A real HTTP server on 127.0.0.1 for tests and the demo: the loopback site server and the bundled sample site."""
