"""Component ids, shared by the layout, the callbacks and the browser tests."""

URL = "url"
BANNER = "data-banner"
LINK_NOTICE = "link-notice"
CATEGORY = "category-filter"
ACTOR = "actor-filter"
ACTOR_LABEL = "actor-label"  # assets/a11y.js names the dropdown by it
DATE_FROM = "date-from"
DATE_TO = "date-to"
DATE_MESSAGE = "date-message"
SEARCH = "search-filter"
INDEPENDENT = "independent-filter"
SEARCH_NOTE = "search-note"
CLEAR = "clear-filters"
FILTERS = "filters-panel"
FILTERS_TOGGLE = "filters-toggle"  # on a narrow screen the filters open from this button
COUNT = "event-count"
ANNOUNCE = "announce"  # a polite live region outside the filters (hidden on a phone): the count and the event chosen
SKIP = "skip-to-timeline"
TIMELINE_CARD = "timeline-card"  # the timeline's section, where the skip link goes
TIMELINE = "timeline"
TIMELINE_DRAWN = "timeline-drawn"
CLAIMS_WANTED = "claims-wanted"  # set by assets/drawn.js once the claims chart comes near the screen
TABLE_WANTED = "table-wanted"  # set by assets/drawn.js: whether the table is near the screen
TABLE_SHOWS = "table-shows"  # the data and address the table's rows were made for
OPENING = "opening-version"  # which data the timeline the page came with shows, until it gets another (app.py)
MAP = "map"
MONTHLY = "monthly"
CLAIMS = "claims"
# each chart's text alternative (dashboard/views/describe.py), read out by screen readers
TIMELINE_TEXT = "timeline-text"
MAP_TEXT = "map-text"
MONTHLY_TEXT = "monthly-text"
CLAIMS_TEXT = "claims-text"
TABLE = "events-table"
TABLE_SEARCH = "table-search"
TABLE_DOWNLOAD_BUTTON = "table-download-button"
TABLE_DOWNLOAD = "table-download"
HTML_DOWNLOAD_BUTTON = "html-download-button"
HTML_DOWNLOAD = "html-download"
DETAIL = "event-detail"
DETAIL_PANEL = "event-panel"  # the panel around DETAIL (assets/panel.js scrolls to it)
DETAIL_BACK = "event-back"  # back to where the reader chose the event (assets/panel.js)
PREV = "prev-event"
NEXT = "next-event"
ABOUT = "about-data"
STORY_START = "story-start"  # the Story button at the top (story mode: dashboard/views/story.py)
STORY = "story"  # the slide panel, shown while the URL has ?story=N
STORY_SLIDE = "story-slide"
STORY_POSITION = "story-position"
STORY_PREV = "story-prev"
STORY_NEXT = "story-next"
STORY_LEAVE = "story-leave"
TABLE_HEAD = "events-table-head"
TABLE_BODY = "events-table-body"
TABLE_CAPTION = "events-table-caption"
TABLE_PREV = "table-prev-page"
TABLE_NEXT = "table-next-page"
TABLE_PAGE_TEXT = "table-page"
TABLE_STATE = "table-state"
TABLE_SORT = "table-sort"


def sort_button(column: str) -> dict:
    """Pattern-matching id of a table column's sort button."""
    return {"type": TABLE_SORT, "column": column}
