class SimulationSettings: pass
class SimulatorType: pass
