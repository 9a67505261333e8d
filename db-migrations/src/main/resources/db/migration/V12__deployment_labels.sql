-- Labels of a deployment (metadata.labels of a manifest document): what apply's prune selects by.
ALTER TABLE deployments ADD COLUMN labels jsonb NOT NULL DEFAULT '{}'::jsonb;
