class Card: pass
