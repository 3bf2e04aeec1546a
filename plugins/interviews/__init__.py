"""在线访谈: interviews with the public’s questions and a live transcript."""
