# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QMetaObject, QSize)
from PySide6.QtGui import (QAction)
from PySide6.QtWidgets import (QLabel, QMenu, QMenuBar, QStatusBar, QTabWidget, QVBoxLayout, QWidget)

class Ui_MainWindow(object):
    def setupUi(self, mainWindow):
        if not mainWindow.objectName():
            mainWindow.setObjectName(u"mainWindow")
        mainWindow.resize(960, 620)
        mainWindow.setMinimumSize(QSize(720, 460))
        self.exportConfigAction = QAction(mainWindow)
        self.exportConfigAction.setObjectName(u"exportConfigAction")
        self.importConfigAction = QAction(mainWindow)
        self.importConfigAction.setObjectName(u"importConfigAction")
        self.languageSystemAction = QAction(mainWindow)
        self.languageSystemAction.setObjectName(u"languageSystemAction")
        self.languageSystemAction.setCheckable(True)
        self.languageEnglishAction = QAction(mainWindow)
        self.languageEnglishAction.setObjectName(u"languageEnglishAction")
        self.languageEnglishAction.setCheckable(True)
        self.languageEnglishAction.setText(u"English")
        self.languageChineseAction = QAction(mainWindow)
        self.languageChineseAction.setObjectName(u"languageChineseAction")
        self.languageChineseAction.setCheckable(True)
        self.languageChineseAction.setText(u"\u7b80\u4f53\u4e2d\u6587 (Simplified Chinese)")
        self.quitAction = QAction(mainWindow)
        self.quitAction.setObjectName(u"quitAction")
        self.aboutAction = QAction(mainWindow)
        self.aboutAction.setObjectName(u"aboutAction")
        self.centralWidget = QWidget(mainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QVBoxLayout(self.centralWidget)
        self.centralLayout.setObjectName(u"centralLayout")
        self.keychainBanner = QLabel(self.centralWidget)
        self.keychainBanner.setObjectName(u"keychainBanner")
        self.keychainBanner.setText(u"")
        self.keychainBanner.setWordWrap(True)
        self.keychainBanner.setMargin(8)

        self.centralLayout.addWidget(self.keychainBanner)

        self.pageTabs = QTabWidget(self.centralWidget)
        self.pageTabs.setObjectName(u"pageTabs")
        self.pageTabs.setDocumentMode(True)

        self.centralLayout.addWidget(self.pageTabs)

        mainWindow.setCentralWidget(self.centralWidget)
        self.menuBar = QMenuBar(mainWindow)
        self.menuBar.setObjectName(u"menuBar")
        self.fileMenu = QMenu(self.menuBar)
        self.fileMenu.setObjectName(u"fileMenu")
        self.settingsMenu = QMenu(self.menuBar)
        self.settingsMenu.setObjectName(u"settingsMenu")
        self.languageMenu = QMenu(self.settingsMenu)
        self.languageMenu.setObjectName(u"languageMenu")
        self.helpMenu = QMenu(self.menuBar)
        self.helpMenu.setObjectName(u"helpMenu")
        mainWindow.setMenuBar(self.menuBar)
        self.statusBar = QStatusBar(mainWindow)
        self.statusBar.setObjectName(u"statusBar")
        mainWindow.setStatusBar(self.statusBar)

        self.menuBar.addAction(self.fileMenu.menuAction())
        self.menuBar.addAction(self.settingsMenu.menuAction())
        self.menuBar.addAction(self.helpMenu.menuAction())
        self.fileMenu.addAction(self.exportConfigAction)
        self.fileMenu.addAction(self.importConfigAction)
        self.fileMenu.addSeparator()
        self.fileMenu.addAction(self.quitAction)
        self.settingsMenu.addAction(self.languageMenu.menuAction())
        self.languageMenu.addAction(self.languageSystemAction)
        self.languageMenu.addAction(self.languageEnglishAction)
        self.languageMenu.addAction(self.languageChineseAction)
        self.helpMenu.addAction(self.aboutAction)

        self.retranslateUi(mainWindow)

        QMetaObject.connectSlotsByName(mainWindow)
    # setupUi

    def retranslateUi(self, mainWindow):
        mainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"System mailbox", None))
        self.exportConfigAction.setText(QCoreApplication.translate("MainWindow", u"&Export configuration\u2026", None))
#if QT_CONFIG(tooltip)
        self.exportConfigAction.setToolTip(QCoreApplication.translate("MainWindow", u"Save the senders, the default sender, templates and trusted certificates to a file (never passwords)", None))
#endif // QT_CONFIG(tooltip)
        self.importConfigAction.setText(QCoreApplication.translate("MainWindow", u"&Import configuration\u2026", None))
#if QT_CONFIG(tooltip)
        self.importConfigAction.setToolTip(QCoreApplication.translate("MainWindow", u"Add the senders, templates and trusted certificates of an exported file to this mailbox", None))
#endif // QT_CONFIG(tooltip)
        self.languageSystemAction.setText(QCoreApplication.translate("MainWindow", u"Same as the &system", None))
        self.quitAction.setText(QCoreApplication.translate("MainWindow", u"&Quit", None))
        self.aboutAction.setText(QCoreApplication.translate("MainWindow", u"&About bimail-desktop", None))
        self.fileMenu.setTitle(QCoreApplication.translate("MainWindow", u"&File", None))
        self.settingsMenu.setTitle(QCoreApplication.translate("MainWindow", u"Se&ttings", None))
        self.languageMenu.setTitle(QCoreApplication.translate("MainWindow", u"&Language", None))
        self.helpMenu.setTitle(QCoreApplication.translate("MainWindow", u"&Help", None))
    # retranslateUi
