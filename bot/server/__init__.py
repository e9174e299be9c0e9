"""The Rasa server and the action server as the clinic runs them: who may call, what is logged, where it is stored."""
