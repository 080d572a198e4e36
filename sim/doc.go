// Package sim is backlogsim's Monte Carlo engine: it simulates the funding
// market, the AI-demand and macro factors, the cash-burning customers and
// the propagation of their defaults through providers' and suppliers'
// backlogs, and summarises the loss distributions.
package sim
