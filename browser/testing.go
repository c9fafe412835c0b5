package browser

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// New starts a browser session for a test and closes it when the test ends.
// Without Chromium the test is skipped, unless TUMEN_REQUIRE_BROWSER is set
// (as CI sets it), where a skip would hide a broken install: then it fails.
// When the test has failed, a screenshot of the page as it was is saved in
// $TUMEN_SCREENSHOT_DIR (default: tumen-screenshots in the temporary
// directory), named after the test, and its path logged.
func New(t testing.TB) *Session {
	t.Helper()
	if !Available() {
		if os.Getenv("TUMEN_REQUIRE_BROWSER") != "" {
			t.Fatalf("TUMEN_REQUIRE_BROWSER is set but %s or %s is missing (apt-get install chromium chromium-driver)", chromiumPath, chromedriverPath)
		}
		t.Skipf("%s or %s is missing: browser tests skipped (apt-get install chromium chromium-driver)", chromiumPath, chromedriverPath)
	}
	// Not t.Context(): it is cancelled before cleanups run, and the
	// failure screenshot below is taken in a cleanup.
	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			dir := os.Getenv("TUMEN_SCREENSHOT_DIR")
			if dir == "" {
				dir = filepath.Join(os.TempDir(), "tumen-screenshots")
			}
			u, _ := s.URL()
			if path, err := s.saveScreenshot(dir, t.Name()); err != nil {
				t.Logf("browser: no screenshot of %s: %v", u, err)
			} else {
				t.Logf("browser: screenshot of %s saved to %s", u, path)
			}
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// unsafeName matches what should not go into a file name: subtests put
// slashes in test names, and table tests anything at all.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveScreenshot writes a screenshot to dir as NAME.png and returns its path.
func (s *Session) saveScreenshot(dir, name string) (string, error) {
	png, err := s.Screenshot()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(name, "_")+".png")
	return path, os.WriteFile(path, png, 0o644)
}
