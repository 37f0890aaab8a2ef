"""Access-matrix rows for materials (issue 21): the organisers' materials page, speakers' link pages, the file
route and the JSON API. Requests name a material id nobody has, or a speaker token that is not valid: each row
says who gets past the guards (a 404 past the guard is the service's own answer, never a leak)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, json, organiser_api, organiser_page, public

LINK = {"title": "Recording", "url": "https://video.example.org/keynote"}

PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/events/{slug:str}/materials"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/materials/links"): (organiser_page(303), form(LINK)),
    ("POST", "/organiser/events/{slug:str}/materials/files"): (organiser_page(400), form({"title": "No file"})),
    ("POST", "/organiser/events/{slug:str}/materials/{material_id:int}/edit"): (organiser_page(404), form({})),
    ("POST", "/organiser/events/{slug:str}/materials/{material_id:int}/move"): (organiser_page(404), form({})),
    ("POST", "/organiser/events/{slug:str}/materials/{material_id:int}/delete"): (organiser_page(404), form({})),
    # The seeded speaker has no contact email: refused past the guard, naming the field.
    ("POST", "/organiser/events/{slug:str}/materials/speakers/{speaker_id:int}/link"): (organiser_page(400), form({})),
    ("GET", "/speakers/materials/{token:str}"): (public(404), None),
    ("POST", "/speakers/materials/{token:str}/links"): (public(404), form(LINK)),
    ("POST", "/speakers/materials/{token:str}/files"): (public(404), form({})),
    ("POST", "/speakers/materials/{token:str}/{material_id:int}/delete"): (public(404), form({})),
    ("GET", "/materials/{material_id:int}/{filename:str}"): (public(404), None),
    ("GET", "/api/events/{slug:str}/materials"): (public(200), None),
    ("POST", "/api/events/{slug:str}/materials"): (organiser_api(201), json(LINK)),
    ("GET", "/api/sessions/{session_id:int}/materials"): (public(200), None),
    ("POST", "/api/sessions/{session_id:int}/materials"): (organiser_api(201), json(LINK)),
    ("GET", "/api/materials/{material_id:int}"): (organiser_api(404), None),
    ("PATCH", "/api/materials/{material_id:int}"): (organiser_api(404), json({"title": "New"})),
    ("POST", "/api/materials/{material_id:int}/move"): (organiser_api(404), json({"direction": "up"})),
    ("DELETE", "/api/materials/{material_id:int}"): (organiser_api(404), None),
}

LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}
