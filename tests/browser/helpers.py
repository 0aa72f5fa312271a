"""Shared browser-test helpers: click the diagram where a person would, and read what they see."""
from __future__ import annotations

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder

# Plotly reads two clicks within ~350 ms as a double click; a hover just before a click can
# report a stale point. Move, pause, click, pause.
HOVER_PAUSE = 0.15
DOUBLE_CLICK_GAP = 0.45

PLOT = "#body-map .js-plotly-plot"


def wait_for_plot(dash_duo):
    dash_duo.wait_for_element(f"{PLOT} .main-svg")
    dash_duo.driver.execute_script("return 1")
    wait_until(dash_duo, f"return !!document.querySelector('{PLOT}')._fullLayout")


def wait_until(dash_duo, script: str, timeout: float = 8.0):
    end = time.time() + timeout
    while time.time() < end:
        value = dash_duo.driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def diagram_to_viewport(dash_duo, x: float, y: float) -> tuple[float, float]:
    """Diagram (data) coordinates -> viewport pixels, through Plotly's own axis mapping."""
    return tuple(
        dash_duo.driver.execute_script(
            """
            const gd = document.querySelector(arguments[0]);
            const L = gd._fullLayout, box = gd.getBoundingClientRect();
            return [box.left + L.xaxis._offset + L.xaxis.l2p(arguments[1]),
                    box.top + L.yaxis._offset + L.yaxis.l2p(arguments[2])];
            """,
            PLOT, x, y,
        )
    )


def click_diagram(dash_duo, x: float, y: float):
    px, py = diagram_to_viewport(dash_duo, x, y)
    time.sleep(DOUBLE_CLICK_GAP)
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(int(px), int(py))
    actions.perform()
    time.sleep(HOVER_PAUSE)
    ActionChains(dash_duo.driver).click().perform()
    time.sleep(HOVER_PAUSE)


def point_position(model, point_id: str) -> tuple[float, float]:
    point = model.trigger_points[point_id]
    return model.views[point.view].place([(point.x, point.y)])[0]


def region_inner_point(model, region_id: str) -> tuple[float, float]:
    """A point well inside a region (its centroid when that is inside), in diagram coordinates."""
    from components import geometry

    region = model.regions[region_id]
    inside = region.label_at
    if not geometry.point_in_polygon(inside, region.outline):
        inside = region.outline[0]
    return model.views[region.view].place([inside])[0]


def shown_zones(dash_duo) -> list[str]:
    """Zone ids whose traces are visible on the diagram right now."""
    return dash_duo.driver.execute_script(
        """
        const gd = document.querySelector(arguments[0]);
        return gd._fullData.filter(t => String(t.meta || '').length && t.opacity > 0
               && t.fill === 'toself' && t.hoverinfo === 'skip').map(t => t.meta);
        """,
        PLOT,
    )


def marked_regions(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        """
        const gd = document.querySelector(arguments[0]);
        return gd._fullData.filter(t => t.hoverinfo !== 'skip' && t.fill === 'toself' && t.line && t.line.width > 0).map(t => t.meta);
        """,
        PLOT,
    )


def url_search(dash_duo) -> str:
    return dash_duo.driver.execute_script("return window.location.search")


def ranking_ids(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#source-ranking > li')).map(li => li.dataset.tpId)"
    )


def browser_errors(dash_duo) -> list:
    """Console errors, ignoring the favicon request the renderer makes on its own."""
    return [entry for entry in dash_duo.get_logs() or [] if "favicon" not in entry.get("message", "")]


def open_app(dash_duo, query: str = ""):
    """A fresh app per test, opened at a deep link, waiting until the diagram is interactive."""
    from app import create_app

    dash_duo.start_server(create_app())
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    wait_for_plot(dash_duo)


def mark_pain_and_expect_first(dash_duo, model, region_id: str, expected_first: str):
    """Tap a region on the diagram; it is marked, and the ranking puts ``expected_first`` on top."""
    click_diagram(dash_duo, *region_inner_point(model, region_id))
    dash_duo.wait_for_element(f'#source-ranking li[data-tp-id="{expected_first}"]')
    assert ranking_ids(dash_duo)[0] == expected_first
    assert region_id in marked_regions(dash_duo)
