package auth

import (
	"encoding/base32"
	"strings"
	"testing"
	"time"
)

// TestRFC6238 checks the SHA-1 test vectors of RFC 6238, appendix B (the
// last six digits of the eight-digit codes).
func TestRFC6238(t *testing.T) {
	t.Parallel()
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		got, err := Code(secret, time.Unix(tc.unix, 0))
		if err != nil || got != tc.want[2:] {
			t.Errorf("Code(%d) = %s, %v; want %s", tc.unix, got, err, tc.want[2:])
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	s := NewSecret()
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	code, _ := Code(s, now)
	step, ok := Verify(s, code, now, 0)
	if !ok {
		t.Fatal("current code refused")
	}
	if _, ok := Verify(s, code, now, step); ok {
		t.Fatal("a used code was accepted again")
	}
	prev, _ := Code(s, now.Add(-Period))
	if _, ok := Verify(s, prev, now, 0); !ok {
		t.Fatal("code of the previous period refused (clock skew)")
	}
	old, _ := Code(s, now.Add(-3*Period))
	if _, ok := Verify(s, old, now, 0); ok {
		t.Fatal("an old code was accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := Verify(s, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, ok := Verify("not base32!", code, now, 0); ok {
		t.Fatal("bad secret accepted")
	}
	// Secrets typed with spaces and in lower case still work.
	spaced := strings.ToLower(s[:4] + " " + s[4:])
	if _, ok := Verify(spaced, code, now, 0); !ok {
		t.Fatal("spaced lower-case secret refused")
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) < 40 || string(HashToken(a)) != string(ha) {
		t.Fatal("tokens")
	}
	if !strings.HasPrefix(URI("tumen", "admin", "ABC"), "otpauth://totp/tumen:admin?") {
		t.Fatal(URI("tumen", "admin", "ABC"))
	}
}
