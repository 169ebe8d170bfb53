def get_parser_from_str(*a, **k): raise NotImplementedError('stand-in')
def run_parser(*a, **k): raise NotImplementedError('stand-in')
