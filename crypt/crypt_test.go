package crypt

import (
	"bytes"
	"errors"
	"testing"
)

func mustKeyring(t *testing.T) *Keyring {
	t.Helper()
	k, err := NewKeyring(NewDataKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	pt := []byte("이영호 Lee Young-ho")
	ct := k.Seal(nil, "persons", "P1", "names", pt)
	if bytes.Contains(ct, pt) || bytes.Contains(ct, []byte("Lee")) {
		t.Fatal("ciphertext contains plaintext")
	}
	if len(ct) != len(pt)+Overhead {
		t.Fatalf("len = %d, want %d", len(ct), len(pt)+Overhead)
	}
	got, err := k.Open("persons", "P1", "names", ct)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	// Two seals of one value differ (random nonces).
	if bytes.Equal(ct, k.Seal(nil, "persons", "P1", "names", pt)) {
		t.Fatal("two seals are equal")
	}
}

func TestOpenRejectsMovedOrAltered(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	ct := k.Seal(nil, "persons", "P1", "names", []byte("secret"))
	for _, tc := range []struct{ name, table, id, field string }{
		{"other record", "persons", "P2", "names"},
		{"other field", "persons", "P1", "notes"},
		{"other table", "sources", "P1", "names"},
	} {
		if _, err := k.Open(tc.table, tc.id, tc.field, ct); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: err = %v, want ErrDecrypt", tc.name, err)
		}
	}
	bad := bytes.Clone(ct)
	bad[len(bad)-1] ^= 1
	if _, err := k.Open("persons", "P1", "names", bad); !errors.Is(err, ErrDecrypt) {
		t.Errorf("altered: err = %v", err)
	}
	if _, err := k.Open("persons", "P1", "names", ct[:10]); !errors.Is(err, ErrDecrypt) {
		t.Errorf("truncated: err = %v", err)
	}
	other := mustKeyring(t)
	if _, err := other.Open("persons", "P1", "names", ct); !errors.Is(err, ErrDecrypt) {
		t.Errorf("other key: err = %v", err)
	}
}

func TestBlind(t *testing.T) {
	t.Parallel()
	k := mustKeyring(t)
	a, b := k.Blind("name", "이영호"), k.Blind("name", "이영호")
	if !bytes.Equal(a, b) || len(a) != BlindSize {
		t.Fatal("blind index not deterministic")
	}
	if bytes.Equal(a, k.Blind("name", "이영수")) || bytes.Equal(a, k.Blind("alias", "이영호")) {
		t.Fatal("different inputs share a blind index")
	}
	// The kind is length-prefixed so ("ab","c") and ("a","bc") differ.
	if bytes.Equal(k.Blind("ab", "c"), k.Blind("a", "bc")) {
		t.Fatal("kind/key boundary ambiguous")
	}
	if bytes.Equal(a, mustKeyring(t).Blind("name", "이영호")) {
		t.Fatal("blind index does not depend on the key")
	}
}

func TestEnvelope(t *testing.T) {
	t.Parallel()
	dk := NewDataKey()
	pass := []byte("correct horse battery staple")
	file := NewKeyFile()
	for _, tc := range []struct {
		name string
		wrap Secrets
		ok   []Secrets
		bad  []Secrets
	}{
		{"passphrase", Secrets{Passphrase: pass}, []Secrets{{Passphrase: pass}, {Passphrase: pass, KeyFile: file}},
			[]Secrets{{Passphrase: []byte("wrong")}, {KeyFile: file}, {}}},
		{"key file", Secrets{KeyFile: file}, []Secrets{{KeyFile: file}},
			[]Secrets{{KeyFile: NewKeyFile()}, {Passphrase: pass}}},
		{"both", Secrets{Passphrase: pass, KeyFile: file}, []Secrets{{Passphrase: pass, KeyFile: file}},
			[]Secrets{{Passphrase: pass}, {KeyFile: file}, {Passphrase: []byte("wrong"), KeyFile: file}}},
	} {
		e, err := Wrap(dk, tc.wrap, TestParams)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := e.Marshal()
		if bytes.Contains(b, pass) {
			t.Fatalf("%s: envelope contains passphrase", tc.name)
		}
		e2, err := UnmarshalEnvelope(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range tc.ok {
			got, err := e2.Unwrap(s)
			if err != nil || !bytes.Equal(got, dk) {
				t.Errorf("%s: Unwrap(ok) = %v", tc.name, err)
			}
		}
		for i, s := range tc.bad {
			if _, err := e2.Unwrap(s); err == nil {
				t.Errorf("%s: bad secret %d unwrapped", tc.name, i)
			}
		}
	}
	if _, err := Wrap(dk, Secrets{}, TestParams); err == nil {
		t.Fatal("Wrap with no secret succeeded")
	}
}

func BenchmarkSeal64(b *testing.B) {
	k, _ := NewKeyring(NewDataKey())
	pt := make([]byte, 64)
	var buf []byte
	b.SetBytes(64)
	for b.Loop() {
		buf = k.Seal(buf[:0], "persons", "P000001", "names", pt)
	}
}

func BenchmarkBlind(b *testing.B) {
	k, _ := NewKeyring(NewDataKey())
	for b.Loop() {
		k.Blind("name", "이영호")
	}
}
