"""gunicorn settings for the `web` process (see Procfile). Never run the scheduler in here."""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# LINE wants an answer within 2 s; a request stuck far past that is better restarted.
timeout = 30
graceful_timeout = 20
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
