class Estimator: pass
