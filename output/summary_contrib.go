package output

import (
	"fmt"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// ContributionsEntry is a loss's sim.RiskContributions in a SummaryFile,
// keyed by tail level (LevelKey).
type ContributionsEntry map[string]ContributionLevelEntry

// ContributionLevelEntry is the decomposition of ES at one tail level.
type ContributionLevelEntry struct {
	// Available is false when the run did not keep the paths of this tail
	// (a streaming run at 95%); the other keys are then zero.
	Available       bool    `json:"available"`
	VaR             float64 `json:"var"`
	ES              float64 `json:"es"`
	Direct          float64 `json:"direct"`
	DirectStdErr    float64 `json:"direct_stderr"`
	Contagion       float64 `json:"contagion"`
	ContagionStdErr float64 `json:"contagion_stderr"`
	// Sources never is null.
	Sources []SourceEntry `json:"sources"`
}

// SourceEntry is one origin's contribution to ES.
type SourceEntry struct {
	Source          string  `json:"source"`
	Kind            string  `json:"kind"`
	Total           float64 `json:"total"`
	TotalStdErr     float64 `json:"total_stderr"`
	Direct          float64 `json:"direct"`
	DirectStdErr    float64 `json:"direct_stderr"`
	Contagion       float64 `json:"contagion"`
	ContagionStdErr float64 `json:"contagion_stderr"`
}

// LossContributions holds the contributions of a firm's or the system's
// two losses.
type LossContributions struct {
	BacklogLost  ContributionsEntry `json:"backlog_lost"`
	EconomicLoss ContributionsEntry `json:"economic_loss"`
}

// SystemEntry is the system-wide loss in a SummaryFile: the sum over
// providers and suppliers on each path.
type SystemEntry struct {
	BacklogLost   Stats              `json:"backlog_lost"`
	EconomicLoss  Stats              `json:"economic_loss"`
	Contributions *LossContributions `json:"contributions,omitempty"`
}

func newLossContributions(bl, el *sim.RiskContributions) *LossContributions {
	if bl == nil || el == nil {
		return nil
	}
	return &LossContributions{BacklogLost: newContributionsEntry(bl), EconomicLoss: newContributionsEntry(el)}
}

func newContributionsEntry(rc *sim.RiskContributions) ContributionsEntry {
	e := ContributionsEntry{}
	for k, q := range mcstat.TailLevels() {
		l := rc.Levels[k]
		le := ContributionLevelEntry{
			Available: l.Available, VaR: l.VaR, ES: l.ES,
			Direct: l.Direct.Value, DirectStdErr: l.Direct.StdErr,
			Contagion: l.Contagion.Value, ContagionStdErr: l.Contagion.StdErr,
			Sources: []SourceEntry{},
		}
		for _, s := range l.Sources {
			le.Sources = append(le.Sources, SourceEntry{
				Source: s.Name, Kind: s.Kind,
				Total: s.Total.Value, TotalStdErr: s.Total.StdErr,
				Direct: s.Direct.Value, DirectStdErr: s.Direct.StdErr,
				Contagion: s.Contagion.Value, ContagionStdErr: s.Contagion.StdErr,
			})
		}
		e[LevelKey(q)] = le
	}
	return e
}

func (lc *LossContributions) riskContributions(field string) (bl, el *sim.RiskContributions, err error) {
	if lc == nil {
		return nil, nil, nil
	}
	if bl, err = lc.BacklogLost.riskContributions(field + ".backlog_lost"); err != nil {
		return nil, nil, err
	}
	if el, err = lc.EconomicLoss.riskContributions(field + ".economic_loss"); err != nil {
		return nil, nil, err
	}
	return bl, el, nil
}

func (e ContributionsEntry) riskContributions(field string) (*sim.RiskContributions, error) {
	rc := &sim.RiskContributions{}
	for k, q := range mcstat.TailLevels() {
		le, ok := e[LevelKey(q)]
		if !ok {
			return nil, fmt.Errorf("output: summary field %s: no level %q", field, LevelKey(q))
		}
		l := sim.ContributionLevel{
			Available: le.Available, VaR: le.VaR, ES: le.ES,
			Direct:    sim.Estimate{Value: le.Direct, StdErr: le.DirectStdErr},
			Contagion: sim.Estimate{Value: le.Contagion, StdErr: le.ContagionStdErr},
		}
		for _, s := range le.Sources {
			l.Sources = append(l.Sources, sim.SourceContribution{
				Name: s.Source, Kind: s.Kind,
				Total:     sim.Estimate{Value: s.Total, StdErr: s.TotalStdErr},
				Direct:    sim.Estimate{Value: s.Direct, StdErr: s.DirectStdErr},
				Contagion: sim.Estimate{Value: s.Contagion, StdErr: s.ContagionStdErr},
			})
		}
		rc.Levels[k] = l
	}
	return rc, nil
}

func newSystemEntry(s *sim.SystemSummary) *SystemEntry {
	if s == nil {
		return nil
	}
	return &SystemEntry{
		BacklogLost: newStats(s.BacklogLost), EconomicLoss: newStats(s.EconomicLoss),
		Contributions: newLossContributions(s.BacklogLostContributions, s.EconomicLossContributions),
	}
}

func (e *SystemEntry) systemSummary() (*sim.SystemSummary, error) {
	if e == nil {
		return nil, nil
	}
	s := &sim.SystemSummary{}
	var err error
	if s.BacklogLost, err = e.BacklogLost.lossStats("system.backlog_lost"); err != nil {
		return nil, err
	}
	if s.EconomicLoss, err = e.EconomicLoss.lossStats("system.economic_loss"); err != nil {
		return nil, err
	}
	s.BacklogLostContributions, s.EconomicLossContributions, err = e.Contributions.riskContributions("system.contributions")
	return s, err
}

// check reports the first non-finite number of lc to c.
func (lc *LossContributions) check(c *finiteChecker, field string) {
	if lc == nil {
		return
	}
	for _, m := range []struct {
		key string
		e   ContributionsEntry
	}{{"backlog_lost", lc.BacklogLost}, {"economic_loss", lc.EconomicLoss}} {
		for _, q := range mcstat.TailLevels() {
			key := LevelKey(q)
			l := m.e[key]
			p := fmt.Sprintf("%s.%s[%q].", field, m.key, key)
			for _, v := range []struct {
				k string
				x float64
			}{{"var", l.VaR}, {"es", l.ES}, {"direct", l.Direct}, {"direct_stderr", l.DirectStdErr}, {"contagion", l.Contagion}, {"contagion_stderr", l.ContagionStdErr}} {
				c.check(p+v.k, v.x)
			}
			for i, s := range l.Sources {
				for _, v := range []struct {
					k string
					x float64
				}{{"total", s.Total}, {"total_stderr", s.TotalStdErr}, {"direct", s.Direct}, {"direct_stderr", s.DirectStdErr}, {"contagion", s.Contagion}, {"contagion_stderr", s.ContagionStdErr}} {
					c.check(fmt.Sprintf("%ssources[%d].%s", p, i, v.k), v.x)
				}
			}
		}
	}
}

func (e *SystemEntry) check(c *finiteChecker) {
	if e == nil {
		return
	}
	c.stats("system.backlog_lost", e.BacklogLost)
	c.stats("system.economic_loss", e.EconomicLoss)
	e.Contributions.check(c, "system.contributions")
}
