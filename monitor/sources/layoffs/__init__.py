"""layoffs.fyi exports (CSV) imported into the store."""
