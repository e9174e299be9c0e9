"""The clinic's own rules, wording, configuration and storage: plain Python that imports nothing else of ours.

The assistant's NLU components, servers and console (bot/) and its Rasa SDK actions (actions/) build on it.
"""
