"""Mail: SMTP transport, TLS contexts, message building, diagnosis, rate limit."""
