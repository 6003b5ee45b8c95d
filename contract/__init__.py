"""The contract between the stages: the program record, program identity and the run folder.

The crawler writes to it and the warehouse and flows read from it; this package imports neither,
so the warehouse does not depend on Scrapy and the crawler nothing on the warehouse (dlt keeps its
load-package contract in `dlt.common` the same way).
"""
