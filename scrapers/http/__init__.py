"""Polite HTTP: the client (throttle, retries, decoding), robots.txt, the response cache and the fetch options."""
