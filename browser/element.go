package browser

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// Element is an element of the page it was found on. It goes stale when
// that page is left: its methods then fail with Code "stale element
// reference", and the test should find it again.
type Element struct {
	s  *Session
	id string
}

// MarshalJSON encodes the element as a W3C element reference, so that an
// *Element passed to Exec arrives in the script as the DOM element.
func (e *Element) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{elementKey: e.id})
}

func (e *Element) command(method, path string, body, out any) error {
	return e.s.command(method, "/element/"+url.PathEscape(e.id)+path, body, out)
}

// Click clicks the element's centre as a user would, scrolling it into view
// first; it fails if another element covers it.
func (e *Element) Click() error {
	return e.command(http.MethodPost, "/click", nil, nil)
}

// Clear empties an input or textarea, as a user deleting its text would.
func (e *Element) Clear() error {
	return e.command(http.MethodPost, "/clear", nil, nil)
}

// Type focuses the element and types text into it key by key, adding to
// what is there. Any Unicode text may be typed, Hangul included.
func (e *Element) Type(text string) error {
	return e.command(http.MethodPost, "/value", map[string]string{"text": text}, nil)
}

// Text returns the element's rendered text, as a user would read it: hidden
// parts left out and whitespace as laid out.
func (e *Element) Text() (string, error) {
	var t string
	err := e.command(http.MethodGet, "/text", nil, &t)
	return t, err
}

// Attr returns the element's attribute name, or "" when it has none. It
// reads the markup's attribute: a field's typed value is its property,
// which Exec can read.
func (e *Element) Attr(name string) (string, error) {
	var v *string
	if err := e.command(http.MethodGet, "/attribute/"+url.PathEscape(name), nil, &v); err != nil {
		return "", err
	}
	if v == nil {
		return "", nil
	}
	return *v, nil
}

// Find returns the first element inside this one that matches the CSS
// selector, waiting as Session.Find does.
func (e *Element) Find(css string) (*Element, error) {
	return e.s.find(e.id, css)
}
