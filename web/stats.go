package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"tumen"
	"tumen/count"
	"tumen/report"
)

// The statistics pages show the charts of package report inside the web
// application: counts by year and month with approximate dates drawn as
// uncertainty, the flow through the stages, facilities, agencies and the
// map of the border region. Counting reads the whole store, so a built
// report is kept for reportAge, one for each clearance and mode: a user is
// never counted a record above their clearance.

// reportAge is how old a statistics page may be.
const reportAge = 2 * time.Minute

type reportKey struct {
	level  tumen.Level
	public bool
}

type builtReport struct {
	r  *report.Report
	at time.Time
}

// statsReport returns the report for a user, building it when there is
// none younger than reportAge. One build runs at a time.
func (s *Server) statsReport(r *http.Request, public bool) (*report.Report, error) {
	u := reqOf(r).user
	key := reportKey{level: u.Clearance, public: public}
	s.reportMu.Lock()
	defer s.reportMu.Unlock()
	if b := s.reports[key]; b != nil && s.Now().Sub(b.at) < reportAge {
		return b.r, nil
	}
	level := u.Clearance
	c, err := count.Load(actorCtx(r), s.store, count.Options{Public: public, Ages: true, MaxLevel: &level, Now: s.Now()})
	if err != nil {
		return nil, err
	}
	rep, err := report.Build(c, report.Options{Source: "this server's store", Now: s.Now(),
		EstimateNote: "The estimate of how many were not documented is made after record linkage, with tumen estimate or tumen report."})
	if err != nil {
		return nil, err
	}
	if s.reports == nil {
		s.reports = map[reportKey]*builtReport{}
	}
	s.reports[key] = &builtReport{r: rep, at: s.Now()}
	return rep, nil
}

// statsPublic reads the page's mode: ?public=1 counts only consented
// cases and withholds small counts.
func statsPublic(r *http.Request) bool { return r.URL.Query().Get("public") == "1" }

func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) {
	public := statsPublic(r)
	rep, err := s.statsReport(r, public)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, thresh := rep.Public()
	var files []string
	for _, c := range rep.Charts() {
		files = append(files, c.Name)
	}
	s.render(w, r, "stats", map[string]any{"Title": "statistics", "Sections": rep.Sections(), "Summary": rep.Summary(),
		"Public": public, "Threshold": thresh, "Charts": files, "Tables": rep.Tables(),
		"CanExport": public || can(reqOf(r).user, PermExport)})
}

// statsFile serves one chart as SVG, one table as CSV, or every table as
// JSON. Tables of the internal counts are an export, for users who may
// export; the public ones, consented and with small counts withheld, any
// reader may take. Every table download is audited.
func (s *Server) statsFile(w http.ResponseWriter, r *http.Request) {
	public := statsPublic(r)
	name := r.PathValue("file")
	rep, err := s.statsReport(r, public)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if stem, ok := strings.CutSuffix(name, ".svg"); ok {
		for _, c := range rep.Charts() {
			if c.Name == stem+".svg" {
				w.Header().Set("Content-Type", "image/svg+xml")
				w.Write(c.SVG)
				return
			}
		}
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no chart %q", name))
		return
	}
	if !public && !can(reqOf(r).user, PermExport) {
		s.fail(w, r, tumen.Errorf(tumen.KindForbidden, "exporting internal counts needs the export permission; the public tables (?public=1) are open to every reader"))
		return
	}
	var body bytes.Buffer
	ctype := ""
	if name == "tables.json" {
		all := map[string]*count.Table{}
		for _, nt := range rep.Tables() {
			all[nt.Name] = nt.Table
		}
		b, err := json.MarshalIndent(all, "", "  ")
		if err != nil {
			s.fail(w, r, tumen.Wrap(err, "cannot write the tables"))
			return
		}
		body.Write(append(b, '\n'))
		ctype = "application/json"
	} else if stem, ok := strings.CutSuffix(name, ".csv"); ok {
		for _, nt := range rep.Tables() {
			if nt.Name == stem {
				if err := nt.Table.WriteCSV(&body); err != nil {
					s.fail(w, r, tumen.Wrap(err, "cannot write the table"))
					return
				}
				ctype = "text/csv; charset=utf-8"
			}
		}
	}
	if ctype == "" {
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no table %q", name))
		return
	}
	mode := "internal"
	if public {
		mode = "public"
	}
	if err := s.store.Audit(actorCtx(r), "export", "report", "", mode+" counts "+name); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(body.Bytes())
}
