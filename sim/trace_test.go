package sim

import (
	"context"
	"testing"
)

// TestTraceReproducesRun traces paths of a run (the worst of each firm and
// some others) and checks that the trace ends with exactly the losses,
// default steps and weight the run recorded for that path.
func TestTraceReproducesRun(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sampling Sampling
	}{
		{"plain", Sampling{}},
		{"antithetic", Sampling{Antithetic: true}},
		{"importance", Sampling{Importance: ImportanceSampling{DemandShift: -1, RegimeTilt: 3, WindowYears: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := smallWorld()
			m.Paths = 1000
			m.Providers[1].Cash = 0.5
			m.Sampling = tc.sampling
			// Distress with a haircut and a deferral, and a tranche from the
			// supplier, so that the trace has them to report.
			m.Customers[0].Distress = Distress{RunwayYears: 0.5, CostCut: 0.2, Haircut: 0.2, DeferralYears: 0.25}
			m.Tranches = []Tranche{{Name: "t", Customer: 0, Investor: 4, Amount: 3, StartYears: 0.5}}
			res := mustSimulate(t, m, Options{Summary: ExactSummary})
			paths := []int{0, 1, 517, 999}
			for _, name := range []string{"big-cloud", "neo-cloud", "chips", SystemName} {
				worst, err := WorstPaths(res, name, false, 2)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range worst {
					paths = append(paths, e.Path)
				}
			}
			defaults, renegotiated := 0, 0
			for _, path := range paths {
				tr, err := TracePath(context.Background(), m, path)
				if err != nil {
					t.Fatal(err)
				}
				last := tr.Steps[len(tr.Steps)-1]
				for f, fs := range last.Firms {
					fr := res.firm(f)
					if fs.BacklogLost != fr.BacklogLost[path] || fs.EconomicLoss != fr.EconomicLoss[path] {
						t.Errorf("path %d, %s: trace ends with losses %v, %v; the run recorded %v, %v",
							path, fr.Name, fs.BacklogLost, fs.EconomicLoss, fr.BacklogLost[path], fr.EconomicLoss[path])
					}
					if fs.Defaulted != (fr.DefaultStep[path] >= 0) {
						t.Errorf("path %d, %s: trace defaulted %v; run's default step %d", path, fr.Name, fs.Defaulted, fr.DefaultStep[path])
					}
					if fs.Defaulted {
						defaults++
					}
					if fs.BacklogRenegotiated != fr.BacklogRenegotiated[path] {
						t.Errorf("path %d, %s: trace renegotiated %v; run %v", path, fr.Name, fs.BacklogRenegotiated, fr.BacklogRenegotiated[path])
					}
					if fs.BacklogRenegotiated > 0 {
						renegotiated++
					}
				}
				for i, ls := range last.Labs {
					if ls.Defaulted != (res.Customers[i].DefaultStep[path] >= 0) || ls.Rounds != int(res.Customers[i].Rounds[path]) {
						t.Errorf("path %d, %s: trace defaulted %v after %d rounds; run: step %d, %d rounds", path, tr.Customers[i],
							ls.Defaulted, ls.Rounds, res.Customers[i].DefaultStep[path], res.Customers[i].Rounds[path])
					}
					raised, tranches, renegs := 0.0, 0.0, 0
					for _, st := range tr.Steps {
						raised += st.Labs[i].Raised
						tranches += st.Labs[i].Tranches
						if st.Labs[i].Renegotiated {
							renegs++
						}
					}
					if tranches != res.Customers[i].TranchesPaid[path] || renegs > 1 {
						t.Errorf("path %d, %s: trace tranches %v, renegotiations %d; run tranches %v, at most one renegotiation",
							path, tr.Customers[i], tranches, renegs, res.Customers[i].TranchesPaid[path])
					}
					if d := raised - res.Customers[i].FundingRaised[path]; d*d > 1e-18 {
						t.Errorf("path %d, %s: trace raised %v in all; run %v", path, tr.Customers[i], raised, res.Customers[i].FundingRaised[path])
					}
				}
				if res.Weights != nil && tr.Weight != res.Weights[path] {
					t.Errorf("path %d: trace weight %v; run %v", path, tr.Weight, res.Weights[path])
				}
			}
			if defaults == 0 || renegotiated == 0 {
				t.Errorf("traced paths have %d firm defaults and %d renegotiations: the test is too weak", defaults, renegotiated)
			}
		})
	}
	if _, err := TracePath(context.Background(), smallWorld(), 2000); err == nil {
		t.Errorf("TracePath beyond the run's paths: no error")
	}
	if _, err := WorstPaths(&Results{}, "nobody", false, 1); err == nil {
		t.Errorf("WorstPaths of an unknown firm: no error")
	}
}
