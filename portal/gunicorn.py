"""gunicorn's access log without supplier-link tokens: `--logger-class portal.gunicorn.Logger`.

gunicorn writes the request line of every request to its access log, outside Django's
logging; this logger redacts a supplier link's token there as `portal.tokens` does in
Django's request logs."""

from gunicorn import glogging

from portal.tokens import redact


class Logger(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
