//go:build !unix

package browser

import (
	"errors"
	"os"
	"os/exec"
)

// inOwnGroup does nothing where there are no Unix process groups: only
// chromedriver itself can be killed there.
func inOwnGroup(*exec.Cmd) {}

// killGroup kills p. A process already gone is not an error.
func killGroup(p *os.Process) error {
	err := p.Kill()
	if errors.Is(err, os.ErrProcessDone) {
		return nil
	}
	return err
}
