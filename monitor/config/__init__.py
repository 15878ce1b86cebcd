"""Configuration: every feeds.yaml section, secrets, cron, paths, the database target."""
