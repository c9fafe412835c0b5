package tumen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestErrors(t *testing.T) {
	t.Parallel()
	cause := errors.New("disk on fire at /secret/path")
	err := Wrap(cause, "cannot save")
	if ErrorKind(err) != KindInternal || ErrorMessage(err) != "internal error" || !errors.Is(err, cause) {
		t.Fatalf("wrapped: %v %q", ErrorKind(err), ErrorMessage(err))
	}
	inv := Errorf(KindInvalid, "bad id %q", "x y")
	if ErrorMessage(fmt.Errorf("ctx: %w", inv)) != `bad id "x y"` || ErrorKind(inv) != KindInvalid {
		t.Fatal(ErrorMessage(inv))
	}
	if Wrap(inv, "other") != error(inv) {
		t.Fatal("Wrap replaced a tumen error")
	}
	if Wrap(nil, "x") != nil || IsNotFound(nil) || ErrorKind(errors.New("x")) != KindInternal {
		t.Fatal("nil handling")
	}
	if !IsNotFound(Errorf(KindNotFound, "no")) || KindForbidden.String() != "forbidden" || Kind(99).String() != "unknown" {
		t.Fatal("kinds")
	}
}

func TestParseSex(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Sex{"": SexUnknown, "f": SexFemale, "F": SexFemale, "여": SexFemale, "여성": SexFemale, "male": SexMale, "남": SexMale, "unknown": SexUnknown} {
		got, err := ParseSex(in)
		if err != nil || got != want {
			t.Errorf("ParseSex(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSex("x"); ErrorKind(err) != KindInvalid {
		t.Fatal("ParseSex(x) accepted")
	}
}

func TestLevel(t *testing.T) {
	t.Parallel()
	for _, l := range []Level{Public, Internal, Confidential, Secret} {
		b, _ := json.Marshal(l)
		var back Level
		if err := json.Unmarshal(b, &back); err != nil || back != l {
			t.Fatalf("%v: %s %v", l, b, err)
		}
	}
	if _, err := ParseLevel("top"); err == nil {
		t.Fatal("unknown level accepted")
	}
	if !(Public < Internal && Internal < Confidential && Confidential < Secret) {
		t.Fatal("levels out of order")
	}
}

func TestConsentActive(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }
	c := Consent{Given: day(10)}
	if c.Active(day(9)) || !c.Active(day(10)) || !c.Active(day(30)) {
		t.Fatal("standing consent")
	}
	c.Revoked = day(20)
	if !c.Active(day(19)) || c.Active(day(20)) || c.Active(day(21)) {
		t.Fatal("revoked consent")
	}
}

func TestBundle(t *testing.T) {
	t.Parallel()
	var b Bundle
	for _, r := range []any{&Person{ID: "p"}, &Event{ID: "e"}, &Term{Code: "t"}, &Attachment{ID: "a"}} {
		if !b.Add(r) {
			t.Fatalf("Add(%T) = false", r)
		}
	}
	if b.Add("a string") || b.Len() != 4 {
		t.Fatal("Add of a non-record, or Len")
	}
	var order []string
	for r := range b.All() {
		order = append(order, fmt.Sprintf("%T", r))
	}
	if fmt.Sprint(order) != "[*tumen.Term *tumen.Person *tumen.Event *tumen.Attachment]" {
		t.Fatal(order)
	}
}

func TestActor(t *testing.T) {
	t.Parallel()
	if Actor(context.Background()) != "system" || Actor(WithActor(context.Background(), "cli:kim")) != "cli:kim" {
		t.Fatal("actor")
	}
}

func TestNameSystems(t *testing.T) {
	t.Parallel()
	for _, s := range NameSystems {
		if !s.Valid() {
			t.Fatalf("%q invalid", s)
		}
	}
	if NameSystem("klingon").Valid() {
		t.Fatal("unknown system valid")
	}
	p := &Person{ID: "P1"}
	if p.DisplayName() != "P1" {
		t.Fatal(p.DisplayName())
	}
}
