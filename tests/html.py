"""Small helpers for asserting on rendered HTML as a reader sees it."""

from bs4 import BeautifulSoup


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def main_text(response):
    """The visible text of the page's <main>, whitespace folded."""
    main = soup(response).find("main")
    return " ".join(main.get_text(" ").split()) if main else ""


def main_html(response):
    main = soup(response).find("main")
    return str(main) if main else ""
