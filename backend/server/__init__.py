"""What the production server adds around the application: request logs, a health check."""
