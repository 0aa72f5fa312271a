"""The server: HTTP rules around the app. Security headers, the callback guard, request bodies
read within limits, caching, one data set for all workers with reload on HUP, logs without
health data, and gunicorn's fair gevent worker. It knows nothing of the domain's meaning."""
