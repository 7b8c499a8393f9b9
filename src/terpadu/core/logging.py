"""Structured logs: every record carries the request id of the request or job it belongs to."""

from __future__ import annotations

import json
import logging

from terpadu.core.context import current_actor


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        actor = current_actor()
        # django.request logs 4xx/5xx responses after the middleware chain (and so the actor) is done;
        # those records carry the request itself.
        request = getattr(record, "request", None)
        record.request_id = actor.request_id or getattr(request, "request_id", "") or "-"
        record.actor = actor.username or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "actor": getattr(record, "actor", "-"),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
