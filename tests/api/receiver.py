"""A webhook receiver on loopback for the tests: it records what it is sent and answers as
each path says."""

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, url):
        self.url = url
        self.received = []  # (path, headers, body)
        # path -> list of statuses to answer in turn (the last one repeats)
        self.answers = {}

    def paths(self):
        return [path for path, _headers, _body in self.received]


@contextlib.contextmanager
def webhook_receiver():
    state = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver = state["receiver"]
            receiver.received.append((self.path, dict(self.headers), body))
            answers = receiver.answers.get(self.path, [200])
            status = answers.pop(0) if len(answers) > 1 else answers[0]
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", f"{receiver.url}/caught-redirect")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["receiver"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
