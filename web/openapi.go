package web

import (
	"net/http"
	"strings"
)

// apiDocs describes each API route for the OpenAPI document; a test checks
// that every /api/v1 route in the table has an entry.
var apiDocs = map[string]struct{ summary, perm string }{
	"GET /api/v1/openapi.json":        {"This document", "read"},
	"GET /api/v1/persons":             {"Persons, with filters sex, stage, place, source, from, to, after (paging by id). Fields the caller may not see are blanked and listed in `redacted`.", "read"},
	"POST /api/v1/persons":            {"Create a person", "record and edit"},
	"GET /api/v1/persons/{id}":        {"A person with their repatriation chain, acts and sources (the read is audited)", "read"},
	"GET /api/v1/persons/{id}/export": {"The person's dossier for a use (query use=…, partner=…). Refused with 403 and the list of missing consents unless every source consents to the use.", "export and share"},
	"GET /api/v1/sources/{id}":        {"A source", "read"},
	"GET /api/v1/places":              {"The gazetteer", "read"},
	"GET /api/v1/search":              {"Search (query q=…, page=…): a name in any spelling, words and \"phrases\" of the full text, filters key:value (sex, stage, place, type, agency, org, level, year, date, from, to). Returns total, hits (id, score, name_score, text_score, name, snippets with marks as byte offsets) and facets, all within the caller's access; names and text need the see-identities permission (403 otherwise). While the index is still being built after the server started, 503 with Retry-After.", "read"},
	"GET /api/v1/terms":               {"The vocabularies (query vocab=… for one)", "read"},
	"GET /api/v1/audit":               {"Audit entries, newest first (query actor, action, kind, target, before)", "manage users, read the audit log"},
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	paths := map[string]map[string]any{}
	for _, rt := range s.table() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		doc := apiDocs[rt.pattern]
		op := map[string]any{
			"summary":     doc.summary,
			"description": "Needs the permission: " + doc.perm + ".",
			"security":    []map[string][]string{{"bearer": {}}, {"session": {}}},
			"responses": map[string]any{
				"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{}}},
				"401": map[string]any{"$ref": "#/components/responses/Error"},
				"403": map[string]any{"$ref": "#/components/responses/Error"},
				"404": map[string]any{"$ref": "#/components/responses/Error"},
			},
		}
		if rt.pattern == "GET /api/v1/search" {
			op["responses"].(map[string]any)["503"] = map[string]any{"$ref": "#/components/responses/Error"}
		}
		if strings.Contains(path, "{id}") {
			op["parameters"] = []map[string]any{{"name": "id", "in": "path", "required": true, "schema": map[string]string{"type": "string"}}}
		}
		if method == "POST" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"$ref": "#/components/schemas/NewPerson"}}}}
			op["responses"].(map[string]any)["201"] = map[string]any{"description": "Created"}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(method)] = op
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "tumen API", "version": "1",
			"description": "The JSON API of tumen, with the permissions of the web application. Authenticate with an API token (Authorization: Bearer …) or a session cookie; state-changing requests with a cookie need the X-CSRF-Token header."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]string{"type": "http", "scheme": "bearer"},
				"session": map[string]string{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
			"responses": map[string]any{"Error": map[string]any{"description": "An error with a safe message",
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object",
					"properties": map[string]any{"error": map[string]string{"type": "string"}, "kind": map[string]string{"type": "string"}}}}}}},
			"schemas": map[string]any{"NewPerson": map[string]any{"type": "object", "required": []string{"names"},
				"properties": map[string]any{
					"id":              map[string]string{"type": "string"},
					"names":           map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"full": map[string]string{"type": "string"}, "system": map[string]string{"type": "string"}}}},
					"birth_date":      map[string]string{"type": "string", "description": "an approximate date: 1985, 1985-03, around 1985, 1985년 3월"},
					"sex":             map[string]any{"type": "string", "enum": []string{"f", "m", ""}},
					"origin":          map[string]string{"type": "string"},
					"confidentiality": map[string]string{"type": "string"},
				}}},
		},
	})
}
