"""Crawling an archive: sources of item links, the resumable frontier, the recording client, old-layout twins.

The job that stores and aligns what a crawl fetches is ``align.jobs.crawling``
(scrapers never imports align).
"""
