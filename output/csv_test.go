package output

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

func TestSummaryCSV(t *testing.T) {
	data, err := SummaryCSV(testSummary())
	if err != nil {
		t.Fatalf("SummaryCSV: %v", err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("SummaryCSV output is not CSV: %v", err)
	}
	if got, want := strings.Join(records[0], ","), "kind,entity,measure,statistic,level,value"; got != want {
		t.Errorf("SummaryCSV header = %s; want %s", got, want)
	}
	rows := make(map[string]string)
	for _, r := range records[1:] {
		key := strings.Join(r[:5], ",")
		if _, dup := rows[key]; dup {
			t.Errorf("SummaryCSV repeats row %s", key)
		}
		rows[key] = r[5]
	}
	for _, test := range []struct {
		key, want string
	}{
		{"provider,zeta-cloud,backlog,value,", "300"},
		{"provider,zeta-cloud,operating_cash_flow,value,", "80"},
		{"provider,zeta-cloud,backlog_lost,mean,", "12.34"},
		{"provider,zeta-cloud,backlog_lost,n,", "1000"},
		{"provider,zeta-cloud,backlog_lost,var,0.99", "80"},
		{"provider,zeta-cloud,backlog_lost,var_stderr,0.999", "15"},
		{"provider,zeta-cloud,backlog_lost,es,0.99", "102.5"},
		{"provider,zeta-cloud,backlog_lost,es_stderr,0.95", "2"},
		{"provider,zeta-cloud,backlog_lost,p_positive,", "0.375"},
		{"provider,zeta-cloud,economic_loss,mean_stderr,", strconv.FormatFloat(6/math.Sqrt(1000), 'g', -1, 64)},
		{"provider,zeta-cloud,default_probability,p,", "0.003"},
		{"provider,zeta-cloud,lost_by,mean,lab-b", "8.5"},
		{"provider,zeta-cloud,lost_by,tail_mean_worst_1pct,diversified pool", "2.5"},
		{"provider,alpha-cloud,backlog,value,", "40.05"},
		{"supplier,chips,lost_by,mean,zeta-cloud", "1.5"},
		{"supplier,chips,default_probability,stderr,", "0"},
		{"customer,lab-b,default_probability,p,", "0.25"},
		{"customer,lab-b,default_probability_by_year,p,1", "0.02"},
		{"customer,lab-b,default_probability_by_year,p,3", "0.25"},
		{"customer,lab-a,default_probability_by_year,stderr,3", strconv.FormatFloat(math.Sqrt(0.001*0.999/1000), 'g', -1, 64)},
		{"customer,lab-b,funding_raised,es,0.999", "70"},
		{"customer,lab-b,probability_any_round,p,", "0.87"},
		{"customer,lab-a,backer_support,mean,", "0"},
	} {
		got, ok := rows[test.key]
		if !ok {
			t.Errorf("SummaryCSV(testSummary()) has no row %s", test.key)
			continue
		}
		if got != test.want {
			t.Errorf("SummaryCSV(testSummary()) row %s = %s; want %s", test.key, got, test.want)
		}
	}

	// Rows of one entity are together, in summary order.
	var order []string
	for _, r := range records[1:] {
		e := r[0] + "," + r[1]
		if len(order) == 0 || order[len(order)-1] != e {
			order = append(order, e)
		}
	}
	want := []string{"provider,zeta-cloud", "provider,alpha-cloud", "supplier,chips", "customer,lab-b", "customer,lab-a"}
	if strings.Join(order, ";") != strings.Join(want, ";") {
		t.Errorf("SummaryCSV(testSummary()) entity order = %v; want %v", order, want)
	}

	// Stats rows: 5 plain + 4 per tail level.
	perStats := 5 + 4*len(mcstat.TailLevels())
	firmRows := func(f sim.FirmSummary) int { return 2 + 3*perStats + 2 + 2 + 2*len(f.LostBy) }
	n := 1
	s := testSummary()
	for _, f := range append(s.Providers, s.Suppliers...) {
		n += firmRows(f)
	}
	for _, c := range s.Customers {
		n += 2 + 2*len(c.DefaultProbabilityByYear) + 3*perStats + 2
	}
	if len(records) != n {
		t.Errorf("SummaryCSV(testSummary()) has %d records; want %d", len(records), n)
	}

	again, err := SummaryCSV(testSummary())
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("SummaryCSV(testSummary()) differs between calls (error %v)", err)
	}
}

func TestSummaryCSVQuoting(t *testing.T) {
	s := testSummary()
	s.Providers[0].Name = `big, "cloud"`
	data, err := SummaryCSV(s)
	if err != nil {
		t.Fatalf("SummaryCSV: %v", err)
	}
	if want := `provider,"big, ""cloud""",backlog,value,,300`; !bytes.Contains(data, []byte(want+"\n")) {
		t.Errorf("SummaryCSV(s) does not contain the line %s", want)
	}
}

func TestSummaryCSVNonFinite(t *testing.T) {
	for _, test := range []struct {
		name   string
		modify func(*sim.Summary)
		row    string
	}{
		{"nan es", func(s *sim.Summary) { s.Providers[0].EconomicLoss.ES[2] = math.NaN() },
			"provider,zeta-cloud,economic_loss,es,0.999 is NaN"},
		{"inf by year", func(s *sim.Summary) { s.Customers[0].DefaultProbabilityByYear[1].P = math.Inf(1) },
			"customer,lab-b,default_probability_by_year,p,2 is +Inf"},
	} {
		s := testSummary()
		test.modify(&s)
		_, err := SummaryCSV(s)
		if err == nil || !strings.Contains(err.Error(), test.row) || !strings.HasPrefix(err.Error(), "output: ") {
			t.Errorf("%s: SummaryCSV(s) error = %v; want one naming %s", test.name, err, test.row)
		}
	}
}
