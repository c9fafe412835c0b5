package tumen

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the program: callers branch on the kind,
// users see only the error's safe message.
type Kind uint8

// The kinds of error tumen reports.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindUnauthorized
	KindForbidden
	// KindUnavailable: the service cannot answer yet; the same request
	// may succeed later.
	KindUnavailable
)

var kindNames = [...]string{
	KindInternal:     "internal",
	KindInvalid:      "invalid",
	KindNotFound:     "not found",
	KindConflict:     "conflict",
	KindUnauthorized: "unauthorized",
	KindForbidden:    "forbidden",
	KindUnavailable:  "unavailable",
}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Error is tumen's error type. Message is safe to show to a user: it never
// contains personal data or secrets. Err, if set, is the underlying cause,
// for logs only.
type Error struct {
	Kind    Kind
	Message string
	Err     error
}

// Error returns the safe message, followed by the cause for internal errors.
func (e *Error) Error() string {
	if e.Err != nil && e.Kind == KindInternal {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a formatted safe message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an internal error with a safe message around cause.
func Wrap(cause error, message string) error {
	if cause == nil {
		return nil
	}
	var te *Error
	if errors.As(cause, &te) {
		return cause
	}
	return &Error{Kind: KindInternal, Message: message, Err: cause}
}

// ErrorKind returns the kind of err: KindInternal for errors that are not
// *Error, and for nil.
func ErrorKind(err error) Kind {
	var te *Error
	if errors.As(err, &te) {
		return te.Kind
	}
	return KindInternal
}

// ErrorMessage returns the message of err that is safe to show a user.
// Internal errors all read "internal error".
func ErrorMessage(err error) string {
	var te *Error
	if errors.As(err, &te) && te.Kind != KindInternal {
		return te.Message
	}
	return "internal error"
}

// IsNotFound reports whether err is of kind KindNotFound.
func IsNotFound(err error) bool { return ErrorKind(err) == KindNotFound && err != nil }
