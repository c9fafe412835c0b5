package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"tumen"
)

func TestDecodeNames(t *testing.T) {
	t.Parallel()
	for _, names := range [][]tumen.Name{
		nil,
		{},
		{{Full: "이영호", Family: "이", Given: "영호", System: tumen.NameHangulSouth}},
		{{Full: "Ri Yong Ho", System: tumen.NameRoman, Note: "as given"}, {Full: "李英浩", System: tumen.NameHanja}},
		{{Full: `quote " and <tag> & back\slash`}, {Full: "tab\there"}},
		{{Full: "\u2028line separator"}},
	} {
		b, err := json.Marshal(names)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeNames(b)
		if err != nil {
			t.Fatalf("decodeNames(%s): %v", b, err)
		}
		var want []tumen.Name
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("decodeNames(%s) = %#v, want %#v", b, got, want)
		}
	}
	if _, err := decodeNames([]byte(`[{"full":`)); err == nil {
		t.Error("a cut name list decoded without error")
	}
	if _, ok := flatNames([]byte(`[{"full":"a\"b"}]`)); ok {
		t.Error("flatNames took a string with an escape")
	}
	if _, ok := flatNames([]byte(`[{"Full":"a"}]`)); ok {
		t.Error("flatNames took a key encoding/json matches without regard to case")
	}
}

func TestDecodeOrigin(t *testing.T) {
	t.Parallel()
	for _, o := range []origin{{}, {Origin: "함경북도 회령"}, {Origin: "Hoeryong", HomePlace: "kp-hoeryong"}, {Origin: `a "quoted" place`}} {
		b, _ := json.Marshal(o)
		got, err := decodeOrigin(b)
		if err != nil || got != o {
			t.Errorf("decodeOrigin(%s) = %+v, %v; want %+v", b, got, err, o)
		}
	}
}

// FuzzFlatNames checks that whatever the fast reader accepts, it reads as
// encoding/json does.
func FuzzFlatNames(f *testing.F) {
	for _, s := range []string{`[]`, `[{}]`, `[{"full":"이영호","system":"hangul-south"}]`, `[{"full":"a"},{"given":"b","note":"c"}]`, `{"o":"x","h":"y"}`, `[{"full":"a"},]`, `[{"full":"a"}{"full":"b"}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, ok := flatNames(b); ok {
			var want []tumen.Name
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("flatNames took %q, which encoding/json refuses: %v", b, err)
			}
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("flatNames(%q) = %#v, encoding/json %#v", b, got, want)
			}
		}
		var o origin
		ok := flatObjects(b, false, func(k, v []byte) bool {
			switch string(k) {
			case "o":
				o.Origin = string(v)
			case "h":
				o.HomePlace = string(v)
			default:
				return false
			}
			return true
		}, nil)
		if ok {
			var want origin
			if err := json.Unmarshal(b, &want); err != nil || want != o {
				t.Fatalf("origin %q: flat %+v, encoding/json %+v (%v)", b, o, want, err)
			}
		}
	})
}
