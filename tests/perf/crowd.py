"""The people of `make load` on asyncio: one event loop, one coroutine per person.

A thread per person (tests/perf/load.py's Person, kept for `make faults`) costs a stack and a
GIL hand-over per request; at 1,000 people on 2 cores the generator would compete with the
server it measures. Here a person is a coroutine that sleeps through its think time, and a
request is one plain HTTP/1.1 exchange over a fresh connection (`Connection: close`, as the
thread version does). Nothing is retried: a request that fails is an error in the table and
the person stops there, so no error hides behind a second press.

Think time follows the page: a person reads and answers each statement in a few seconds
(`per_statement`), and spends `per_form` on the consent page and the review page.
"""

import asyncio
import random
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.perf.load import CSRF, FIELD, HOST, NONCE, RESUME, STAMP, Run, Sample, Stop

HTTP_TIMEOUT_S = 30


@dataclass(frozen=True)
class Think:
    per_statement: tuple[float, float]  # seconds to read and answer one statement
    per_form: tuple[float, float]  # seconds on the consent page and on the review page


async def exchange(port: int, head: bytes, body: bytes) -> tuple[int, list[tuple[str, str]], str]:
    """Send one request and read the whole answer (the server closes the connection)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(head + body)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    header_bytes, _, payload = raw.partition(b"\r\n\r\n")
    lines = header_bytes.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ConnectionError("no HTTP status line")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if line]
    names = {name.lower(): value for name, value in headers}
    if names.get("transfer-encoding", "").lower() == "chunked":
        payload = unchunk(payload)
    elif "content-length" in names and len(payload) != int(names["content-length"]):
        raise ConnectionError("answer shorter than its Content-Length")
    return int(parts[1]), headers, payload.decode()


def unchunk(payload: bytes) -> bytes:
    out, rest = [], payload
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            return b"".join(out)
        out.append(rest[:size])
        rest = rest[size + 2 :]


class AsyncBrowser:
    """One person's browser behind a pretend TLS proxy: cookies, Origin and Referer."""

    def __init__(self, port: int, samples: list[Sample]) -> None:
        self.port, self.samples, self.cookies = port, samples, {}
        self.origin = f"https://{HOST}:{port}"

    async def request(self, endpoint: str, path: str, form: dict | None, expect: int):
        """(location, body) when the answer has the expected status, else None."""
        lines = [f"{'GET' if form is None else 'POST'} {path} HTTP/1.1"]
        lines += [f"Host: {HOST}:{self.port}", "X-Forwarded-Proto: https"]
        lines += ["Connection: close", "User-Agent: relcap-load"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            lines += ["Content-Type: application/x-www-form-urlencoded"]
            lines += [f"Origin: {self.origin}", f"Referer: {self.origin}{path}"]
            lines += [f"Content-Length: {len(body)}"]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        start = time.monotonic()
        try:
            status, headers, text = await asyncio.wait_for(
                exchange(self.port, head, body), HTTP_TIMEOUT_S
            )
        except (OSError, TimeoutError, ValueError) as error:
            self.record(start, endpoint, type(error).__name__, False)
            return None
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.remember(value)
        self.record(start, endpoint, str(status), status == expect)
        if status != expect:
            return None
        location = next((v for n, v in headers if n.lower() == "location"), None)
        return location, text

    def remember(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def record(self, start: float, endpoint: str, status: str, ok: bool) -> None:
        elapsed = (time.monotonic() - start) * 1000
        self.samples.append(Sample(start, endpoint, status, ok, elapsed))


@dataclass
class Respondent:
    """The fields tests/perf/load.py's checks read (check_writes, throughput, report)."""

    browser: AsyncBrowser
    think: Think
    deadline: float
    rng: random.Random
    public_id: str | None = None
    acknowledged: dict[int, dict[int, int]] = field(default_factory=dict)  # page → item → value
    submitted: bool = False
    completed: bool = False
    stopped: str = ""
    began: float = 0.0
    ended: float = 0.0

    async def run(self) -> None:
        self.began = time.monotonic()
        try:
            await self.complete()
        except Stop as reason:
            self.stopped = str(reason)
        self.ended = time.monotonic()

    async def pause(self, seconds: float) -> None:
        if time.monotonic() + seconds > self.deadline:
            raise Stop("time limit")
        await asyncio.sleep(seconds)

    async def step(self, endpoint: str, path: str, form: dict | None = None, expect: int = 200):
        answer = await self.browser.request(endpoint, path, form, expect)
        if answer is None:
            raise Stop(f"{endpoint} failed")
        return answer

    def reading(self, statements: int) -> float:
        return sum(self.rng.uniform(*self.think.per_statement) for _ in range(statements))

    async def complete(self) -> None:
        _, html = await self.step("GET /start/", "/start/")
        await self.pause(self.rng.uniform(*self.think.per_form))
        form = {"context_mode": "both", "consent": "on", "adult": "on"}
        form |= {"csrfmiddlewaretoken": CSRF.search(html)[1], "nonce": NONCE.search(html)[1]}
        path, _ = await self.step("POST /start/", "/start/", form, expect=302)
        self.public_id = path.split("/")[2]
        while "/page/" in path:
            _, html = await self.step("GET page", path)
            values = {int(item): self.rng.randint(1, 7) for item in FIELD.findall(html)}
            form = {"csrfmiddlewaretoken": CSRF.search(html)[1], "nav": "next"}
            form |= {"rendered": STAMP.search(html)[1], **{f"q{k}": v for k, v in values.items()}}
            if resume := RESUME.search(html):
                form["resume"] = resume[1]
            await self.pause(self.reading(len(values)))
            next_path, _ = await self.step("POST page", path, form, expect=302)
            self.acknowledged[int(path.rstrip("/").rsplit("/", 1)[1])] = values
            path = next_path
        _, html = await self.step("GET review", path)
        await self.pause(self.rng.uniform(*self.think.per_form))
        form = {"csrfmiddlewaretoken": CSRF.search(html)[1]}
        report, _ = await self.step("POST review (submit)", path, form, expect=302)
        self.submitted = True
        await self.step("GET report", report)
        self.completed = True


async def crowd(
    port: int, count: int, ramp_s: float, think: Think, time_limit_s: float, seed: int
) -> Run:
    samples: list[Sample] = []
    began, cpu = time.monotonic(), time.process_time()
    deadline = began + time_limit_s
    people = [
        Respondent(AsyncBrowser(port, samples), think, deadline, random.Random(seed * 100_003 + k))
        for k in range(count)
    ]

    async def start(k: int, person: Respondent) -> None:
        await asyncio.sleep(ramp_s * k / count)
        await person.run()

    await asyncio.gather(*(start(k, person) for k, person in enumerate(people)))
    return Run(people, samples, began, time.monotonic(), time.process_time() - cpu)


def run_crowd(
    port: int, count: int, ramp_s: float, think: Think, time_limit_s: float, seed: int = 0
) -> Run:
    """Start `count` people evenly over `ramp_s`; everyone stops by `time_limit_s`."""
    return asyncio.run(crowd(port, count, ramp_s, think, time_limit_s, seed))
