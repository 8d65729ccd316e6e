"""hw4: a small microservices system to watch sync and async message paths."""
