package scenarios_test

import (
	"fmt"
	"log"

	"github.com/backlogsim/backlogsim/scenarios"
)

func ExampleLoad() {
	s, err := scenarios.Load("baseline") // a built-in; a file path works too
	if err != nil {
		log.Fatal(err)
	}
	m := s.Model
	fmt.Println(s.Source, m.Paths, m.HorizonYears, m.StepsPerYear)
	for _, p := range m.Providers {
		fmt.Printf("%s %.1f\n", p.Name, p.Backlog)
	}
	// Output:
	// builtin:baseline 100000 5 12
	// amazon 364.0
	// coreweave 99.4
	// google 462.0
	// meta 0.0
	// microsoft 627.0
	// oracle 553.0
}

func ExampleError() {
	src := "extends = \"baseline\"\n[simulation]\npaths = 0\n"
	_, err := scenarios.LoadBytes("bad.toml", []byte(src), nil)
	fmt.Println(err)
	// Output:
	// bad.toml:3: simulation.paths: must be in [1, 1000000000], got 0
}
