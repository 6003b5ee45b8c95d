"""The warehouse: DuckDB schema and migrations, health-gated load and diff, history, exports.

Pure Python + SQL; it reads the crawl's staging and is the only writer of the DuckDB file.
"""

from warehouse.db import WarehouseCorruptError, WarehouseLockedError
from warehouse.export import export_all
from warehouse.load import LoadResult, load_run
from warehouse.schema import WarehouseSchemaError
from warehouse.staging import StagingError

# The errors a caller shows as one line (each names the file, and the line and field where it can).
WAREHOUSE_ERRORS = (WarehouseCorruptError, WarehouseLockedError, WarehouseSchemaError, StagingError)

__all__ = [
    "WAREHOUSE_ERRORS",
    "LoadResult",
    "StagingError",
    "WarehouseCorruptError",
    "WarehouseLockedError",
    "WarehouseSchemaError",
    "export_all",
    "load_run",
]
