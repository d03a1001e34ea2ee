"""Sales: the pipeline, the proposition library, cohorts, campaigns and their work lists."""
