"""The centre head's dashboard (统计): key figures and charts from the stats services."""
