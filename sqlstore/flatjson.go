package sqlstore

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"tumen"
)

// The names and origin of a person are read on every list and page view,
// and encoding/json's reflection was a tenth of a busy server's time. They
// are always written by json.Marshal in one flat shape (objects whose
// values are strings), so these readers take that shape directly and hand
// anything else — an escape, a number, a field they do not know — to
// encoding/json, which stays the definition of the format.

// decodeNames decodes the JSON of a person's names.
func decodeNames(b []byte) ([]tumen.Name, error) {
	if names, ok := flatNames(b); ok {
		return names, nil
	}
	var names []tumen.Name
	err := json.Unmarshal(b, &names)
	return names, err
}

// decodeOrigin decodes the JSON of a person's origin.
func decodeOrigin(b []byte) (origin, error) {
	var o origin
	ok := flatObjects(b, false, func(key, val []byte) bool {
		switch string(key) {
		case "o":
			o.Origin = string(val)
		case "h":
			o.HomePlace = string(val)
		default:
			return false
		}
		return true
	}, nil)
	if ok {
		return o, nil
	}
	o = origin{}
	err := json.Unmarshal(b, &o)
	return o, err
}

func flatNames(b []byte) ([]tumen.Name, bool) {
	names := make([]tumen.Name, 0, 4)
	var cur tumen.Name
	ok := flatObjects(b, true, func(key, val []byte) bool {
		switch string(key) {
		case "full":
			cur.Full = string(val)
		case "family":
			cur.Family = string(val)
		case "given":
			cur.Given = string(val)
		case "system":
			cur.System = tumen.NameSystem(val)
		case "note":
			cur.Note = string(val)
		default:
			return false
		}
		return true
	}, func() {
		names = append(names, cur)
		cur = tumen.Name{}
	})
	return names, ok
}

// flatObjects walks b, an object (or with array, an array of objects)
// whose values are all strings without escapes, calling field for each
// member and end after each object. It reports false when b is anything
// else, or when field does.
func flatObjects(b []byte, array bool, field func(key, val []byte) bool, end func()) bool {
	i := 0
	if array {
		if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
			return false
		}
		b, i = b[:len(b)-1], 1
		if i == len(b) {
			return true
		}
	}
	for {
		if i >= len(b) || b[i] != '{' {
			return false
		}
		i++
		if i < len(b) && b[i] == '}' {
			i++
		} else {
			for {
				key, next, ok := flatString(b, i)
				if !ok || next >= len(b) || b[next] != ':' {
					return false
				}
				val, next2, ok := flatString(b, next+1)
				if !ok || !field(key, val) || next2 >= len(b) {
					return false
				}
				i = next2 + 1
				if b[next2] == '}' {
					break
				}
				if b[next2] != ',' {
					return false
				}
			}
		}
		if end != nil {
			end()
		}
		if !array {
			return i == len(b)
		}
		if i == len(b) {
			return true
		}
		if b[i] != ',' {
			return false
		}
		i++
	}
}

// flatString reads a JSON string starting at b[i], returning its bytes and
// the index after the closing quote. A backslash, a control character or
// invalid UTF-8 makes it give up.
func flatString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	j := bytes.IndexByte(b[i+1:], '"')
	if j < 0 {
		return nil, 0, false
	}
	s := b[i+1 : i+1+j]
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, 0, false
		}
	}
	if !utf8.Valid(s) {
		return nil, 0, false // encoding/json would write U+FFFD
	}
	return s, i + 2 + j, true
}
