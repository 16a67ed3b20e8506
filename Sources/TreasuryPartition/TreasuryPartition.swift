// TreasuryPartition
//
// The two-phase path's storage for inputs too large to hold: spill files per financial account (`PartitionWriter`,
// `SpillCodec`, `SpillFile`) and the run-wide id index (`IdIndex`). It writes only temporary files under the staging
// folder and must not build statements or write outputs: the statements job drives it.
