"""The console's "ข้อความที่ระบบยังไม่เข้าใจ": what people typed that no command, flow or intent took,
most frequent first, so HR (and the developers) can grow the intent table from real use."""
from __future__ import annotations

from typing import Any

from bot.console import register_page, render_page
from bot.console.views import _me, _session
from models.chat_log import unknown_summary


def unknown_messages() -> Any:
    rows = unknown_summary(_session(), _me().agency_id)
    return render_page("console/unknown_messages.html", title="ข้อความที่ระบบยังไม่เข้าใจ",
                       rows=rows)


register_page("/unknown-messages", "unknown_messages", "ข้อความที่ระบบยังไม่เข้าใจ",
              unknown_messages)
