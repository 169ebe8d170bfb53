class Runner: pass
