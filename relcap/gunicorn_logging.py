"""gunicorn's access log without private link tokens, query strings, addresses or browsers.

docker/entrypoint.sh starts gunicorn with `--logger-class relcap.gunicorn_logging.RedactingLogger`
so a resume link (`/r/<token>/`) never lands in an access log. Only the atoms listed in KEPT
reach the log line, with paths redacted; any other atom a format asks for (headers, environ,
query string, address, user agent, referrer) prints as "-".
"""

from gunicorn.glogging import Logger

from relcap.logfilter import redact

KEPT = frozenset({"t", "r", "s", "m", "U", "H", "b", "B", "T", "D", "M", "L", "p"})


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items() if k in KEPT}
