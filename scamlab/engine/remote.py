"""A chat backend that calls an OpenAI-compatible server: llama.cpp's server, vLLM, TGI, the HF router.

The wire format is the one `huggingface_hub.InferenceClient.chat_completion` speaks (POST
`{endpoint}/chat/completions` with `"stream": true`, answered by server-sent events), but requests go
through `httpx` directly: with `HF_HUB_OFFLINE=1`, which is how a classroom without internet runs,
huggingface_hub refuses every request made through its HTTP session, even one to a server on the
school's own network.

Busy or failing servers (429, 5xx) and dropped connections are retried with exponential backoff, but
only before the first token: a retry after that would repeat text the class has already seen.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from scamlab.engine.chat import GenerationParams, yes_share
from scamlab.engine.errors import EndpointError
from scamlab.personas import Message

log = logging.getLogger(__name__)

# `read` is the longest pause allowed between two pieces of a streamed reply (and before the first one).
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
# The most log-probabilities OpenAI-compatible servers return per token (OpenAI and vLLM cap it at 20).
TOP_LOGPROBS = 20
ENDPOINT_SETTING_FIX = "start the server, or correct SCAMLAB_CHAT_ENDPOINT (or the endpoint in the Models tab)."


@dataclass(frozen=True)
class RetryPolicy:
    """When to send a request again, and how long to wait first.

    Waits double from `first_delay` (0.5 s, 1 s, 2 s, ...) up to `max_delay`. A server's `Retry-After`
    replaces the computed wait, within the same cap, so a busy server cannot stall a lesson for minutes.
    """

    retries: int = 3
    first_delay: float = 0.5
    max_delay: float = 8.0
    retry_statuses: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})

    def should_retry(self, attempt: int, status: int | None) -> bool:
        """Whether failed attempt number `attempt` (from 1) earns another; `status` None: no connection."""
        return attempt <= self.retries and (status is None or status in self.retry_statuses)

    def delay(self, attempt: int, retry_after: str | None = None, now: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (from 1)."""
        asked = parse_retry_after(retry_after, now)
        wait = self.first_delay * 2 ** (attempt - 1) if asked is None else asked
        return min(max(wait, 0.0), self.max_delay)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a `Retry-After` header (seconds or an HTTP date); None when absent or unreadable."""
    if not value or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - (time.time() if now is None else now)
        except (TypeError, ValueError):
            return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None


# Hugging Face's own inference hosts (the router, Inference Endpoints, Spaces): besides the configured endpoint,
# the only places the HF token is sent to. An endpoint picked in the Models tab gets no token.
HF_INFERENCE_DOMAINS = ("huggingface.co", "hf.space")
ENDPOINT_NOT_ALLOWED = ("This endpoint is not allowed. The endpoints a teacher may choose are listed by whoever "
                        "runs the app, in SCAMLAB_ALLOWED_ENDPOINTS.")


class EndpointNotAllowed(ValueError):
    """An endpoint the operator did not list; refused before any connection is made."""

    def __init__(self) -> None:
        super().__init__(ENDPOINT_NOT_ALLOWED)


def _endpoint_identity(url: str) -> tuple[str, str, str, str]:
    """What makes two base URLs the same endpoint: scheme and host without case, the path without a final "/"."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query


def endpoint_is_allowed(url: str, allowed: Sequence[str | None]) -> bool:
    """Whether `url` is one of the `allowed` base URLs (the configured endpoint and the operator's list)."""
    return _endpoint_identity(url) in {_endpoint_identity(entry) for entry in allowed if entry}


def may_receive_token(url: str, configured_endpoint: str | None) -> bool:
    """Whether the HF token may go to `url`: Hugging Face's own hosts over HTTPS, or the configured endpoint."""
    if configured_endpoint and _endpoint_identity(url) == _endpoint_identity(configured_endpoint):
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    on_hugging_face = any(host == domain or host.endswith("." + domain) for domain in HF_INFERENCE_DOMAINS)
    return parts.scheme == "https" and on_hugging_face and parts.username is None and parts.password is None


def chat_completions_url(endpoint: str) -> str:
    """The chat URL for a base URL, built as InferenceClient builds it: `.../v1` -> `.../v1/chat/completions`."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path += "/chat/completions" if path.endswith("/v1") else "/v1/chat/completions"
    return urlunsplit(parts._replace(path=path))


def shown_url(url: str) -> str:
    """`url` without user, password or query string (any of which may hold a key): safe for messages and logs."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, _host(url), parts.path, "", ""))


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


def answer_share(top_logprobs: Sequence[dict[str, Any]], yes: Sequence[str], no: Sequence[str]) -> float:
    """P(yes) / (P(yes) + P(no)) from one token's top log-probabilities (OpenAI's `top_logprobs` entries).

    Spellings are compared without case or surrounding spaces. An answer missing from the list is given
    the lowest log-probability listed: it is at most that likely. Raises `ValueError` when both are missing.
    """
    yes_words = {word.strip().lower() for word in yes}
    no_words = {word.strip().lower() for word in no}
    scores = [(str(entry["token"]).strip().lower(), float(entry["logprob"])) for entry in top_logprobs]
    log_yes = [logprob for token, logprob in scores if token in yes_words]
    log_no = [logprob for token, logprob in scores if token in no_words]
    if not log_yes and not log_no:
        raise ValueError("The model's likeliest first tokens include neither a yes nor a no.")
    floor = min(logprob for _, logprob in scores)
    return yes_share(log_yes or [floor], log_no or [floor])


class RemoteChatBackend:
    """Chat replies from an OpenAI-compatible server; one instance per endpoint and model, shared by requests.

    Creating one checks that the server answers (GET `/models`), so a wrong URL or token fails when the
    endpoint is chosen, not in the middle of a lesson. Without `model`, a server that lists exactly one
    model answers with that one.

    `tokens_generated` counts a reply's tokens as the server reports them, when a streamed event carries
    `usage.completion_tokens` (some servers send it in the last event); otherwise, and for a reply stopped
    before that event, it counts the streamed pieces (servers send about one token per piece).
    """

    def __init__(
        self,
        endpoint: str,
        model: str | None = None,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.endpoint = shown_url(endpoint)
        self.chat_url = chat_completions_url(endpoint)
        self.retry = retry
        self._sleep = sleep or time.sleep  # tests pass a recorder instead of waiting
        self._token = token
        headers = {"User-Agent": "scamlab"} | ({"Authorization": f"Bearer {token}"} if token else {})
        # Proxies from the environment (HTTP_PROXY, ...) only for HTTPS, where the token crosses the proxy inside
        # the TLS tunnel; a proxy for an http:// endpoint (a classroom server) would read it in clear text.
        trust_env = urlsplit(endpoint).scheme.lower() == "https"
        self._client = httpx.Client(headers=headers, timeout=timeout, trust_env=trust_env)  # thread-safe, pooled
        served = self._served_models()
        self.model = model or self._only_model(served)
        self.prompt_format = "chat"
        self.tokens_generated = 0

    def describe(self) -> str:
        """One line for the UI: the model and the endpoint's host (never a key or a token)."""
        return f"{self.model or 'the default model'} at {_host(self.chat_url)} (remote OpenAI-compatible endpoint)"

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    # --- the ChatBackend interface ---------------------------------------------------------------------

    def stream(
        self, messages: Sequence[Message], params: GenerationParams, stop: threading.Event | None = None
    ) -> Iterator[str]:
        """Yield the reply in pieces as the server streams them.

        Setting `stop` or closing this iterator closes the HTTP stream, which tells the server to stop
        generating (llama.cpp, vLLM and TGI all do on disconnect).
        """
        if stop is not None and stop.is_set():
            return
        payload = self._payload(messages, stream=True, max_tokens=params.max_new_tokens,
                                temperature=params.temperature, top_p=params.top_p, seed=params.seed)
        response = self._send("POST", self.chat_url, payload)
        pieces, reported = 0, None
        try:
            self._raise_for_status(response)
            for line in response.iter_lines():
                if stop is not None and stop.is_set():
                    break
                event = self._stream_event(line)
                if event is None:
                    break
                reported = (event.get("usage") or {}).get("completion_tokens", reported)
                piece = ((event.get("choices") or [{}])[0].get("delta") or {}).get("content") or ""
                if piece:
                    pieces += 1
                    yield piece
        except httpx.HTTPError:
            raise EndpointError(self.endpoint, "stopped answering in the middle of a reply.",
                                "try again; if it keeps happening, check the server's logs and load.") from None
        except ValueError:
            fix = "check that the URL points at an OpenAI-compatible server (usually ending in /v1)."
            raise EndpointError(self.endpoint, "sent a reply that is not an OpenAI-style event stream.", fix) from None
        finally:
            response.close()
            self.tokens_generated += reported if isinstance(reported, int) else pieces

    def stream_candidates(
        self, messages: Sequence[Message], params: GenerationParams, count: int, stop: threading.Event | None = None
    ) -> Iterator[list[str]]:
        """One candidate, streamed: a chat server writes one reply per request, and a big model needs no more."""
        text = ""
        pieces = self.stream(messages, params, stop)
        try:
            for piece in pieces:
                text += piece
                yield [text]
        finally:
            pieces.close()

    def answer_probability(self, messages: Sequence[Message], yes: Sequence[str], no: Sequence[str]) -> float:
        """P(yes) / (P(yes) + P(no)) for the first token of the reply, from the server's top log-probabilities.

        What the AI judge needs. Servers that return `logprobs` (llama.cpp, vLLM, TGI) can answer; a
        server that returns none raises `EndpointError`; `ValueError` when neither answer is likely at all.
        """
        payload = self._payload(messages, stream=False, max_tokens=1, temperature=0.0,
                                logprobs=True, top_logprobs=TOP_LOGPROBS)
        response = self._send("POST", self.chat_url, payload)
        try:
            self._raise_for_status(response)
            body = json.loads(response.read())
            candidates = body["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise EndpointError(self.endpoint, "returned no token log-probabilities.",
                                "use a server that supports `logprobs` (llama.cpp, vLLM, TGI), "
                                "or a local chat model for the AI judge.") from None
        except httpx.HTTPError:
            raise EndpointError(self.endpoint, "stopped answering in the middle of a reply.", "try again.") from None
        finally:
            response.close()
        return answer_share(candidates, yes, no)

    # --- HTTP ------------------------------------------------------------------------------------------

    def _payload(self, messages: Sequence[Message], **options: object) -> dict[str, object]:
        # Only role and content: some servers reject the speaker `name` our prompts carry.
        payload: dict[str, object] = {"messages": [{"role": m["role"], "content": m["content"]} for m in messages]}
        if self.model:
            payload["model"] = self.model
        payload.update({key: value for key, value in options.items() if value is not None})
        return payload

    def _send(self, method: str, url: str, payload: dict[str, object] | None = None) -> httpx.Response:
        """Send a request, retrying dropped connections and busy or failing servers; the body stays unread.

        Returns the last response, whatever its status. Raises `EndpointError` when no connection was made.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._client.send(self._client.build_request(method, url, json=payload), stream=True)
            except httpx.TransportError as error:
                if not self.retry.should_retry(attempt, None):
                    raise self._unreachable(error, attempt) from None
                wait = self.retry.delay(attempt)
                log.warning("%s: %s; trying again in %.1fs", self.endpoint, type(error).__name__, wait)
            else:
                if response.status_code < 400 or not self.retry.should_retry(attempt, response.status_code):
                    return response
                wait = self.retry.delay(attempt, response.headers.get("Retry-After"))
                response.close()
                log.warning("%s: HTTP %d; trying again in %.1fs", self.endpoint, response.status_code, wait)
            self._sleep(wait)

    def _unreachable(self, error: httpx.TransportError, attempts: int) -> EndpointError:
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
        if isinstance(error, httpx.TimeoutException):
            return EndpointError(self.endpoint, f"did not answer in time ({tries}).",
                                 "check that the server is running and not overloaded; " + ENDPOINT_SETTING_FIX)
        problem = f"cannot be reached ({type(error).__name__}, {tries})."
        return EndpointError(self.endpoint, problem, ENDPOINT_SETTING_FIX)

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        detail = self._server_message(response)
        said = f" It said: {detail}" if detail else ""
        if status in (401, 403):
            problem = "refused the token." if self._token else "asks for a token."
            fix = "set HF_TOKEN_GEN (or HF_TOKEN) to a token this server accepts."
            raise EndpointError(self.endpoint, problem + said, fix, status)
        if status == 429 or status >= 500:
            problem = "is too busy" if status == 429 else f"failed (HTTP {status})"
            if status in self.retry.retry_statuses:
                problem += f", even after {self.retry.retries + 1} attempts"
            fix = "wait a minute and try again, or check the server's logs."
            raise EndpointError(self.endpoint, f"{problem}.{said}", fix, status)
        raise EndpointError(self.endpoint, f"rejected the request (HTTP {status}).{said}",
                            "check the endpoint URL (it usually ends in /v1) and the model name.", status)

    def _server_message(self, response: httpx.Response) -> str:
        """The server's own short explanation of an error, without our token."""
        try:
            body = json.loads(response.read() or b"null")
        except (ValueError, httpx.HTTPError):
            return ""
        if isinstance(body, dict):
            error = body.get("error", body.get("detail", body.get("message")))
            body = error.get("message", "") if isinstance(error, dict) else error
        text = " ".join(str(body or "").split())[:200]
        return text.replace(self._token, "[token]") if self._token else text

    def _stream_event(self, line: str) -> dict[str, Any] | None:
        """The event in one server-sent-events line: {} for lines without one, None at the end of the stream."""
        if not line.startswith("data:"):
            return {}  # blank separators, ": keep-alive" comments, "event:" lines
        data = line[len("data:"):].strip()
        if data == "[DONE]":
            return None
        event = json.loads(data)
        if not isinstance(event, dict):
            raise ValueError("an event that is not a JSON object")
        if event.get("error"):
            error = event["error"]
            message = error.get("message", error) if isinstance(error, dict) else error
            raise EndpointError(self.endpoint, f"reported an error while writing: {str(message)[:200]}",
                                "try again, or check the server's logs.")
        return event

    def _served_models(self) -> list[str]:
        """The model ids the server lists at `/models` (none when it keeps no list); checks it answers at all."""
        parts = urlsplit(self.chat_url)
        url = urlunsplit(parts._replace(path=parts.path.removesuffix("/chat/completions") + "/models"))
        response = self._send("GET", url)
        try:
            if response.status_code in (404, 405, 501):
                return []  # no list on this server: it answers with its default model
            self._raise_for_status(response)
            return [str(entry["id"]) for entry in json.loads(response.read()).get("data", [])]
        except (ValueError, KeyError, TypeError, AttributeError):
            return []
        except httpx.HTTPError:
            problem = "stopped answering while listing its models."
            raise EndpointError(self.endpoint, problem, ENDPOINT_SETTING_FIX) from None
        finally:
            response.close()

    def _only_model(self, served: list[str]) -> str | None:
        """The model to ask for when none was named: the only one served, else the server's default."""
        if len(served) > 1:
            listed = ", ".join(served[:5]) + (", ..." if len(served) > 5 else "")
            raise EndpointError(self.endpoint, f"serves several models ({listed}).",
                                "name one in SCAMLAB_CHAT_MODEL (or the model box in the Models tab).")
        return served[0] if served else None
