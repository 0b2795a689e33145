package cli

import (
	"errors"
	"fmt"
)

// Exit codes are part of strata's contract with CI systems and pre-commit.
const (
	ExitOK          = 0   // nothing at or above the failure threshold
	ExitFindings    = 1   // findings (lint) or a failed gate (analyze)
	ExitError       = 2   // usage, configuration, I/O or unreadable input
	ExitInterrupted = 130 // the user aborted (ctrl+c)
)

// ExitError carries an exit code up to Run. Err may be nil when the command
// already reported everything it had to say (findings, for example).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so that Run exits with code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// silentExit makes Run exit with code without printing anything more.
func silentExit(code int) error { return &exitError{code: code} }

// usageErrorf reports a bad flag or argument (exit 2).
func usageErrorf(format string, args ...any) error {
	return withCode(ExitError, fmt.Errorf(format, args...))
}

// codeOf maps an error returned by a command to the process exit code.
func codeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitError
}
