// Package report writes tumen's statistics as one HTML page: every chart
// of package chart, inline as SVG, each with the table of its numbers,
// and the multiple systems estimate when there is one. The page carries
// its CSS and loads nothing from anywhere (its Content-Security-Policy
// forbids it), needs no JavaScript, and prints on A4.
package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"tumen"
	"tumen/chart"
	"tumen/count"
	"tumen/estimate"
)

//go:embed report.css
var css string

//go:embed report.html.tmpl
var pageText string

// page is parsed when the program starts, so a broken template fails the
// build's tests, not a user's report.
var page = template.Must(template.New("report").Parse(pageText))

// Options shape a report.
type Options struct {
	// Title heads the report; default "Forced repatriation from China".
	Title, TitleKO string
	// Source says where the data came from, e.g. the store's directory.
	Source string
	// Now dates the report; default time.Now.
	Now time.Time
	// MonthsFrom and MonthsTo bound the years of the month chart; default
	// the last three years with dated repatriations.
	MonthsFrom, MonthsTo int
	// Estimate, when set, is shown with its method and interval;
	// EstimateNote explains why there is none or what it rests on.
	Estimate     *estimate.Result
	EstimateNote string
}

// Chart is one chart of a report with the table it draws.
type Chart struct {
	// Name is a file name for the chart, e.g. "years.svg".
	Name  string
	SVG   []byte
	Table *count.Table
}

// Report is a built report.
type Report struct {
	o        Options
	public   bool
	thresh   int
	summary  []SummaryItem
	sections []Section
	charts   []Chart
	tables   []NamedTable
}

// NamedTable is a table of a report with a file name stem for its export
// ("years" for years.csv).
type NamedTable struct {
	Name  string
	Table *count.Table
}

// SummaryItem is one figure of a report's summary.
type SummaryItem struct {
	Value, Label, LabelKO string
}

// Section is one part of a report: a chart with its tables and notes.
// SVG and Tables are HTML made safe by the report.
type Section struct {
	ID, Title, TitleKO string
	Intro              string
	SVG                template.HTML
	Caption            string
	Tables             []template.HTML
	Notes              []string
}

// Build counts everything a report shows and draws its charts.
func Build(c *count.Counter, o Options) (*Report, error) {
	if o.Title == "" {
		o.Title, o.TitleKO = "Forced repatriation from China: what was documented", "중국의 강제송환: 기록된 사실"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	r := &Report{o: o, public: c.Options().Public, thresh: c.Options().Threshold}
	table := func(s count.Spec) (*count.Table, error) { return c.Table(s) }

	years, err := table(count.Spec{Unit: count.Repatriations, Rows: count.Year})
	if err != nil {
		return nil, err
	}
	cases, err := table(count.Spec{Unit: count.Cases, Rows: count.Stage})
	if err != nil {
		return nil, err
	}
	acts, err := table(count.Spec{Unit: count.Acts, Rows: count.ActType})
	if err != nil {
		return nil, err
	}
	r.summary = []SummaryItem{
		{totalText(years), "repatriations documented", "기록된 강제송환"},
		{totalText(cases), "repatriation cases", "송환 사건"},
		{totalText(acts), "violations (acts)", "인권침해 행위"},
	}

	// Per year.
	r.add(Section{ID: "years", Title: "Repatriations per year", TitleKO: "연도별 강제송환",
		Caption: "Solid: handovers whose whole date range lies in the year. Hatched: handovers whose date spans several years and may fall in this one."},
		Chart{Name: "years.svg", SVG: chart.Timeline(years, chart.Options{ID: "years"}), Table: years}, nil)
	r.sections[len(r.sections)-1].Tables = []template.HTML{yearGrid(years)}

	// Per month, over a window.
	from, to := o.MonthsFrom, o.MonthsTo
	if from == 0 || to == 0 {
		last := 0
		for i, b := range years.RowBins {
			if b.Kind == count.KindValue && (years.Row(i).N > 0 || years.Row(i).Max > 0) {
				last, _ = strconv.Atoi(b.Key)
			}
		}
		if last == 0 {
			last = o.Now.Year()
		}
		if to == 0 {
			to = last
		}
		if from == 0 {
			from = to - 2
		}
	}
	months, err := table(count.Spec{Unit: count.Repatriations, Rows: count.Month, Window: count.Window{From: from, To: to}})
	if err != nil {
		return nil, err
	}
	r.add(Section{ID: "months", Title: fmt.Sprintf("Repatriations per month, %d–%d", from, to), TitleKO: fmt.Sprintf("월별 강제송환, %d–%d년", from, to),
		Caption: "A handover known only to a season, a year or “around” a date is in no month; it raises the hatched upper bound of every month it may fall in."},
		Chart{Name: "months.svg", SVG: chart.Timeline(months, chart.Options{ID: "months"}), Table: months}, nil)
	r.sections[len(r.sections)-1].Tables = []template.HTML{monthGrid(months)}

	// Flow through the stages.
	flows, err := c.StageFlows()
	if err != nil {
		return nil, err
	}
	r.add(Section{ID: "stages", Title: "The flow of cases through the stages", TitleKO: "단계별 사건 흐름",
		Intro: "Each case is a chain of events from exit (S0) to aftermath (S9). Stage S4, the border detention centre, is where an urgent appeal can still matter."},
		Chart{Name: "stages.svg", SVG: chart.Flow(cases, flows, chart.Options{ID: "stages"}), Table: cases}, cases)

	// Facilities, agencies, crossings.
	for _, b := range []struct {
		id, title, titleKO, name string
		spec                     count.Spec
	}{
		{"facilities", "Cases by facility", "시설별 사건", "facilities.svg", count.Spec{Unit: count.Cases, Rows: count.Facility}},
		{"agencies", "Violations by perpetrating agency", "가해 기관별 인권침해", "agencies.svg", count.Spec{Unit: count.Acts, Rows: count.Agency}},
		{"crossings", "Repatriations by crossing", "도강 지점별 강제송환", "crossings.svg", count.Spec{Unit: count.Repatriations, Rows: count.Crossing}},
	} {
		t, err := table(b.spec)
		if err != nil {
			return nil, err
		}
		r.add(Section{ID: b.id, Title: b.title, TitleKO: b.titleKO},
			Chart{Name: b.name, SVG: chart.Bars(t, chart.Options{ID: b.id}), Table: t}, t)
	}

	// The map.
	places, err := table(count.Spec{Unit: count.Cases, Rows: count.Place})
	if err != nil {
		return nil, err
	}
	r.add(Section{ID: "map", Title: "Where: the border region", TitleKO: "장소: 국경 지역",
		Intro:   "Cases at each place of the gazetteer, arrests through prison camps; a case counts at every place it passed through.",
		Caption: "Positions are those the gazetteer publishes; a place whose position is not known is listed, never guessed."},
		Chart{Name: "map.svg", SVG: chart.Map(c.Places(), places, chart.Options{ID: "map"}), Table: places}, places)

	// Who.
	for _, b := range []struct {
		id, title, titleKO string
		spec               count.Spec
	}{
		{"sex", "Repatriations by sex", "성별 강제송환", count.Spec{Unit: count.Repatriations, Rows: count.Sex}},
		{"age", "Repatriations by age group", "연령대별 강제송환", count.Spec{Unit: count.Repatriations, Rows: count.Age}},
		{"organisations", "Repatriations by documenting organisation", "기록 단체별 강제송환", count.Spec{Unit: count.Repatriations, Rows: count.Organisation}},
	} {
		t, err := table(b.spec)
		if err != nil {
			return nil, err
		}
		s := Section{ID: b.id, Title: b.title, TitleKO: b.titleKO}
		if b.id == "age" {
			s.Intro = "Age at the handover, from an approximate birth date and an approximate handover date: a person born “around 1997” and returned in 2015 may be 16 to 19, and counts under both groups' upper bounds."
		}
		r.add(s, Chart{Name: b.id + ".svg", SVG: chart.Bars(t, chart.Options{ID: b.id}), Table: t}, t)
	}

	// A cross-tabulation.
	cross, err := table(count.Spec{Unit: count.Repatriations, Rows: count.Year, Cols: count.Sex})
	if err != nil {
		return nil, err
	}
	r.sections = append(r.sections, Section{ID: "year-sex", Title: "Repatriations by year and sex", TitleKO: "연도·성별 강제송환",
		Tables: []template.HTML{tableHTML(cross)}, Notes: cross.Notes})
	r.tables = append(r.tables, NamedTable{"year-sex", cross})

	r.sections = append(r.sections, r.estimateSection())
	return r, nil
}

func (r *Report) add(s Section, ch Chart, t *count.Table) {
	if ch.Table != nil {
		r.tables = append(r.tables, NamedTable{strings.TrimSuffix(ch.Name, ".svg"), ch.Table})
	}
	s.SVG = template.HTML(ch.SVG) // built by package chart, which escapes every text
	if t != nil {
		s.Tables = append(s.Tables, tableHTML(t))
	}
	if ch.Table != nil {
		s.Notes = append(s.Notes, ch.Table.Notes...)
	}
	r.sections = append(r.sections, s)
	r.charts = append(r.charts, ch)
}

// Charts returns the report's charts, for writing as files beside it.
func (r *Report) Charts() []Chart { return r.charts }

// Sections returns the parts of the report, in order, for a page that
// shows them in its own frame (the web application's statistics page).
func (r *Report) Sections() []Section { return r.sections }

// Summary returns the report's headline figures.
func (r *Report) Summary() []SummaryItem { return r.summary }

// Public reports whether the report is fit for publication, and the
// smallest count it shows.
func (r *Report) Public() (bool, int) { return r.public, r.thresh }

// Tables returns every table the report shows, for export as CSV or
// JSON (count.Table.WriteCSV, WriteJSON); a public report's tables are
// suppressed as its page is.
func (r *Report) Tables() []NamedTable { return r.tables }

// WriteHTML writes the report as one HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	data := struct {
		Title, TitleKO, Generated, Source string
		Public                            bool
		Threshold, ThresholdMinusOne      int
		Summary                           []SummaryItem
		Sections                          []Section
		CSS                               template.CSS
	}{r.o.Title, r.o.TitleKO, r.o.Now.UTC().Format("2 January 2006 15:04 UTC"), orText(r.o.Source, "the store"),
		r.public, r.thresh, r.thresh - 1, r.summary, r.sections, template.CSS(css)}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		return tumen.Wrap(err, "cannot write the report")
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func totalText(t *count.Table) string {
	if t.TotalWithheld {
		return "–"
	}
	return thousands(t.Total)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// cellHTML writes a count with its upper bound.
func cellHTML(c count.Cell) string {
	switch {
	case c.Withheld:
		return `<span title="withheld">–</span>`
	case c.Max > c.N && !c.MaxWithheld:
		return fmt.Sprintf(`%s<span class="max">&#8239;(≤%s)</span>`, thousands(c.N), thousands(c.Max))
	}
	return thousands(c.N)
}

// tableHTML writes a table of counts as an HTML table: the data behind a
// chart, for screen readers and for copying.
func tableHTML(t *count.Table) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, "<table>\n<caption>%s · <span lang=\"ko\">%s</span></caption>\n<thead><tr><th scope=\"col\">%s</th>", esc(t.Title), esc(t.TitleKO), esc(dimHeader(t.Rows)))
	cols := t.ColBins
	if cols == nil {
		b.WriteString(`<th scope="col">count <span class="max">(≤ upper bound)</span></th>`)
	} else {
		for _, cb := range cols {
			fmt.Fprintf(&b, `<th scope="col"%s>%s</th>`, specialClass(cb), esc(binLabel(cb)))
		}
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for i, rb := range t.RowBins {
		fmt.Fprintf(&b, `<tr><th scope="row"%s>%s</th>`, specialClass(rb), esc(binLabel(rb)))
		for j := range t.Cells[i] {
			fmt.Fprintf(&b, "<td>%s</td>", cellHTML(t.Cells[i][j]))
		}
		b.WriteString("</tr>\n")
	}
	fmt.Fprintf(&b, "</tbody>\n<tfoot><tr><th scope=\"row\">total records</th><td colspan=\"%d\">%s</td></tr></tfoot>\n</table>\n", max(len(cols), 1), totalText(t))
	return template.HTML(b.String())
}

func specialClass(b count.Bin) string {
	if b.Kind == count.KindSeveral || b.Kind == count.KindUnknown {
		return ` class="special"`
	}
	return ""
}

func binLabel(b count.Bin) string {
	// "2015 · 2015년" says nothing twice.
	if b.LabelKO != "" && !strings.HasPrefix(b.LabelKO, b.Label) {
		return b.Label + " · " + b.LabelKO
	}
	return b.Label
}

func dimHeader(d count.Dim) string {
	switch d {
	case count.Agency:
		return "agency"
	case count.Age:
		return "age group"
	case count.ActType:
		return "act type"
	}
	return string(d)
}

// yearGrid writes a one-way table by year as a grid, a row per decade
// and a column per year of the decade.
func yearGrid(t *count.Table) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, "<table class=\"grid\">\n<caption>%s · <span lang=\"ko\">%s</span></caption>\n<thead><tr><th scope=\"col\">decade</th>", esc(t.Title), esc(t.TitleKO))
	for y := range 10 {
		fmt.Fprintf(&b, `<th scope="col">…%d</th>`, y)
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	cells := map[int]count.Cell{}
	var decades []int
	for i, rb := range t.RowBins {
		if rb.Kind != count.KindValue {
			continue
		}
		y, err := strconv.Atoi(rb.Key)
		if err != nil {
			continue
		}
		cells[y] = t.Row(i)
		if d := y / 10 * 10; len(decades) == 0 || decades[len(decades)-1] != d {
			decades = append(decades, d)
		}
	}
	for _, d := range decades {
		fmt.Fprintf(&b, `<tr><th scope="row">%ds</th>`, d)
		for y := d; y < d+10; y++ {
			c, ok := cells[y]
			if !ok {
				b.WriteString("<td></td>")
				continue
			}
			fmt.Fprintf(&b, `<td title="%d">%s</td>`, y, cellHTML(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n<tfoot>")
	for i, rb := range t.RowBins {
		if rb.Kind != count.KindValue {
			fmt.Fprintf(&b, `<tr><th scope="row" class="special">%s</th><td colspan="10">%s</td></tr>`, esc(binLabel(rb)), cellHTML(t.Row(i)))
		}
	}
	fmt.Fprintf(&b, "<tr><th scope=\"row\">total records</th><td colspan=\"10\">%s</td></tr></tfoot>\n</table>\n", totalText(t))
	return template.HTML(b.String())
}

// monthGrid writes a one-way table by month as a grid, a row per year
// and a column per month, which reads far better than 36 rows.
func monthGrid(t *count.Table) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, "<table class=\"grid\">\n<caption>%s · <span lang=\"ko\">%s</span></caption>\n<thead><tr><th scope=\"col\">year</th>", esc(t.Title), esc(t.TitleKO))
	for m := 1; m <= 12; m++ {
		fmt.Fprintf(&b, `<th scope="col">%s</th>`, time.Month(m).String()[:3])
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	cells := map[string]count.Cell{}
	var years []string
	for i, rb := range t.RowBins {
		if rb.Kind == count.KindValue {
			cells[rb.Key] = t.Row(i)
			if y := rb.Key[:4]; len(years) == 0 || years[len(years)-1] != y {
				years = append(years, y)
			}
		}
	}
	for _, y := range years {
		fmt.Fprintf(&b, `<tr><th scope="row">%s</th>`, y)
		for m := 1; m <= 12; m++ {
			c, ok := cells[fmt.Sprintf("%s-%02d", y, m)]
			if !ok {
				b.WriteString("<td></td>")
				continue
			}
			fmt.Fprintf(&b, "<td>%s</td>", cellHTML(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n<tfoot>")
	for i, rb := range t.RowBins {
		if rb.Kind != count.KindValue {
			fmt.Fprintf(&b, `<tr><th scope="row" class="special">%s</th><td colspan="12">%s</td></tr>`, esc(binLabel(rb)), cellHTML(t.Row(i)))
		}
	}
	fmt.Fprintf(&b, "<tr><th scope=\"row\">total records</th><td colspan=\"12\">%s</td></tr></tfoot>\n</table>\n", totalText(t))
	return template.HTML(b.String())
}

// estimateSection shows the multiple systems estimate, or why there is
// none.
func (r *Report) estimateSection() Section {
	s := Section{ID: "estimate", Title: "How many were not documented", TitleKO: "기록되지 않은 송환 추정"}
	e := r.o.Estimate
	if e == nil {
		note := r.o.EstimateNote
		if note == "" {
			note = "No estimate: run tumen estimate to estimate, from the overlap between the organisations' lists, how many repatriations no list recorded."
		}
		s.Intro = note
		return s
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<div class="estimate"><p>Documented by at least one of %d lists: <b>%s</b> people. Estimated total: <b>%s</b>`, len(e.Lists), thousands(e.Observed), thousands(int(math.Round(e.Estimate))))
	if !math.IsNaN(e.Interval[0]) {
		hi := "unbounded"
		if !math.IsInf(e.Interval[1], 1) && !math.IsNaN(e.Interval[1]) {
			hi = thousands(int(math.Round(e.Interval[1])))
		}
		fmt.Fprintf(&b, `, 95%% interval %s to %s`, thousands(int(math.Round(e.Interval[0]))), hi)
	}
	fmt.Fprintf(&b, ".</p><p>Method: %s", esc(e.Method))
	if e.Model != "" {
		fmt.Fprintf(&b, ", model %s", esc(e.Model))
	}
	fmt.Fprintf(&b, "; interval by %s. Lists: %s.</p>", esc(e.IntervalMethod), esc(strings.Join(e.Lists, ", ")))
	b.WriteString("</div>")
	s.Tables = []template.HTML{template.HTML(b.String())}
	s.Notes = append(s.Notes, e.Warnings...)
	if r.o.EstimateNote != "" {
		s.Notes = append(s.Notes, r.o.EstimateNote)
	}
	return s
}
