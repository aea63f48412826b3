"""What stories and facts both recognise in prose: dates, forces, people, one lexicon."""
