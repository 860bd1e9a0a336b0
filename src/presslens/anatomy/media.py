"""Media in a page: video, audio, image and embed URLs, bare URLs in the text included.

Classified by file extension first (`.mp4` is a video wherever it is hosted), then by host
(YouTube, Vimeo, Rumble, BitChute, Odysee, Dailymotion, SoundCloud…), embed paths becoming
`iframe`. Data flow: `anatomy.facts` hands every link found in the text to `media_kind`.

>>> media_kind("https://southfront.org/wp-content/uploads/video/06_01_20_FPD_Soleimani.mp4")
'video'
>>> media_kind("https://www.youtube.com/embed/abc123")
'iframe'
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from presslens.vocab import MediaKind

_EXT: Final[dict[str, MediaKind]] = {
    **dict.fromkeys(("mp4", "m4v", "webm", "mov", "ogv", "mkv", "avi", "m3u8", "flv", "wmv", "mpd"), "video"),
    **dict.fromkeys(("mp3", "m4a", "aac", "ogg", "oga", "opus", "wav", "flac", "wma"), "audio"),
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff"), "image"),
}
_VIDEO_HOSTS: Final = (
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "rumble.com",
    "bitchute.com",
    "odysee.com",
    "dailymotion.com",
    "dai.ly",
    "brighteon.com",
    "twitch.tv",
    "tiktok.com",
    "vk.com/video",
    "streamable.com",
    "lbry.tv",
)
_AUDIO_HOSTS: Final = (
    "soundcloud.com",
    "podcasts.apple.com",
    "open.spotify.com/episode",
    "anchor.fm",
    "podbean.com",
    "buzzsprout.com",
    "spreaker.com",
    "castbox.fm",
)
_IMAGE_HOSTS: Final = ("imgur.com", "i.imgur.com", "flickr.com/photos", "pbs.twimg.com")
_EMBED_PATH = re.compile(r"/(?:embed|player|iframe)(?:/|$|\?)|^player\.|^embed\.", re.IGNORECASE)


def media_kind(url: str) -> MediaKind | None:
    """The media kind of a URL, or None when it is an ordinary page."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path or ""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if ext in _EXT:
        return _EXT[ext]
    where = host + path.lower()
    embed = bool(_EMBED_PATH.search(path) or _EMBED_PATH.search(host))
    known = any(where.startswith(h) for h in (*_VIDEO_HOSTS, *_AUDIO_HOSTS))
    if embed and (known or host.startswith(("player.", "embed."))):
        return "iframe"
    if any(where.startswith(h) for h in _VIDEO_HOSTS):
        # A channel or home page is not a video; a watch page or short link is.
        if host in ("youtube.com", "youtu.be"):
            ok = host == "youtu.be" or (path.startswith(("/watch", "/shorts/", "/live/")) and len(path) > 1)
            return "video" if ok else None
        return "video" if len(path.strip("/")) > 0 else None
    if any(where.startswith(h) for h in _AUDIO_HOSTS):
        return "audio" if path.strip("/").count("/") >= 1 or host == "anchor.fm" else None
    if any(where.startswith(h) for h in _IMAGE_HOSTS):
        return "image"
    return None
