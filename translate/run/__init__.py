"""Running the translation of one document and of many: reading, segments, pipeline, jobs, batches, workers."""
